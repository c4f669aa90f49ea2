import { decideShot } from './decide-shot.ts'
import type { PipelineSetup } from './pipeline-setup.ts'
import { aboutTake, type TakeUnit } from './render-context.ts'
import { reuseClip } from './reuse-clip.ts'

/** One take whose inputs are ready: reuse a finished clip, skip, refuse (an earlier run's final failure), or queue it for a slot. */
export async function decideTake(setup: PipelineSetup, unit: TakeUnit): Promise<void> {
  const { render: ctx, graph } = setup
  const { shot, take } = unit
  try {
    if (ctx.signal?.aborted) return setup.settle(unit, { shot: shot.id, status: 'aborted' })
    const decision = await decideShot(shot, take, graph.clipSha, setup.decide)
    switch (decision.action) {
      case 'skip':
        return take === shot.pick
          ? setup.skip(shot.id, decision.reason)
          : setup.settle(unit, { shot: shot.id, status: 'skipped', reason: decision.reason })
      case 'refuse': {
        const a = decision.attempt
        const message = `${a.failure?.message ?? 'failed'} (prediction ${a.id ?? 'unknown'}, in an earlier run with the same inputs; change the shot, or force it to try again)`
        const predictionId = a.id ? { predictionId: a.id } : {}
        ctx.emit({
          type: 'failed',
          ...aboutTake(unit),
          attempt: a.attempt,
          ...predictionId,
          message,
          willRetry: false,
        })
        return setup.settle(unit, {
          shot: shot.id,
          status: 'failed',
          message,
          ...(a.failure?.code ? { code: a.failure.code } : {}),
          ...predictionId,
          attempts: 0,
          cost: 0,
        })
      }
      case 'reuse':
        return await reuseClip(setup, unit, decision)
      default:
        // Decided only once every upstream clip exists, so the key is known.
        if (decision.key === undefined)
          throw new Error(`Shot "${shot.id}" was decided before its upstream clips existed.`)
        setup.enqueue({ shot, take, decision: { ...decision, key: decision.key } })
    }
  } catch (error) {
    setup.fail(unit, error)
  }
}
