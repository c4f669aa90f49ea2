import type { ShotTimings } from './events.ts'
import { landClip } from './land-clip.ts'
import type { PipelineSetup } from './pipeline-setup.ts'
import { aboutTake, type TakeUnit } from './render-context.ts'
import type { RenderOutcome } from './render-shot.ts'

/** Turns a take's render outcome into its settled outcome: a rendered clip is landed and reported `done` with its timings. */
export async function completeTake(
  setup: PipelineSetup,
  unit: TakeUnit,
  key: string,
  outcome: RenderOutcome,
  startedAt: number,
): Promise<void> {
  const { render: ctx } = setup
  const { shot, take } = unit
  const predictionId = outcome.predictionId ? { predictionId: outcome.predictionId } : {}
  if (outcome.status === 'aborted')
    return setup.settle(unit, { shot: shot.id, status: 'aborted', ...predictionId })
  if (outcome.status === 'failed') {
    const { message, attempts } = outcome
    return setup.settle(unit, {
      shot: shot.id,
      status: 'failed',
      message,
      ...(outcome.code ? { code: outcome.code } : {}),
      ...predictionId,
      attempts,
      cost: ctx.budget.spentOn(shot.id, take),
    })
  }
  try {
    const finished = await landClip(setup, unit, {
      shot: shot.id,
      sha256: outcome.sha256,
      key,
      source: 'provider',
    })
    const timings: ShotTimings = {
      queuedAt: setup.queuedAt.get(shot.id)!,
      startedAt,
      ...(outcome.submittedAt === undefined ? {} : { submittedAt: outcome.submittedAt }),
      finishedAt: ctx.now(),
      ...(outcome.inferenceMs === undefined ? {} : { inferenceMs: outcome.inferenceMs }),
    }
    ctx.emit({
      type: 'done',
      ...aboutTake(unit),
      attempt: outcome.attempt,
      predictionId: outcome.predictionId,
      clip: finished.clip,
      sha256: outcome.sha256,
      key,
      timings,
    })
    setup.settle(unit, {
      shot: shot.id,
      status: 'done',
      predictionId: outcome.predictionId,
      attempts: outcome.attempts,
      cost: ctx.budget.spentOn(shot.id, take),
      timings,
      ...finished,
    })
  } catch (error) {
    if (ctx.signal?.aborted)
      setup.settle(unit, { shot: shot.id, status: 'aborted', predictionId: outcome.predictionId })
    else setup.fail(unit, error)
  }
}
