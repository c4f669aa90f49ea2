import { handOffChain } from './chain-hand-off.ts'
import type { ShotTimings } from './events.ts'
import { landClip } from './land-clip.ts'
import type { PipelineSetup } from './pipeline-setup.ts'
import { aboutTake, type TakeUnit } from './render-context.ts'
import type { RenderOutcome } from './render-shot.ts'

/**
 * Turns a take's render outcome into its settled outcome: a rendered clip is landed and reported `done`
 * with its timings. One still to be checked (`keep`) hands its chain on first (`handOffChain`).
 * @param release gives the take's slot back.
 */
export async function completeTake(
  setup: PipelineSetup,
  unit: TakeUnit,
  key: string,
  outcome: RenderOutcome,
  startedAt: number,
  release: () => void,
): Promise<void> {
  const { render: ctx } = setup
  const { shot, take } = unit
  if (outcome.status !== 'rendered') return settleUnrendered(setup, unit, outcome)
  const timings = (): ShotTimings => ({
    queuedAt: setup.queuedAt.get(shot.id)!,
    startedAt,
    ...(outcome.submittedAt === undefined ? {} : { submittedAt: outcome.submittedAt }),
    finishedAt: ctx.now(),
    ...(outcome.inferenceMs === undefined ? {} : { inferenceMs: outcome.inferenceMs }),
  })
  const done = {
    shot: shot.id,
    status: 'done',
    predictionId: outcome.predictionId,
    attempts: outcome.attempts,
  } as const
  try {
    if (outcome.keep) {
      const placed = ctx.layout.shot(shot.id)
      const provisional = {
        ...done,
        cost: ctx.budget.spentOn(shot.id, take),
        timings: timings(),
        clip: placed.clip,
        sha256: outcome.sha256,
        key,
        frames: { first: placed.first, last: placed.last },
      }
      const kept = await handOffChain(setup, unit, { ...outcome, keep: outcome.keep }, provisional, release)
      if (!kept.ok) {
        const { predictionId, attempt, attempts } = outcome
        return settleUnrendered(
          setup,
          unit,
          kept.aborted
            ? { status: 'aborted', predictionId, attempts }
            : {
                status: 'failed',
                message: kept.message,
                ...(kept.code ? { code: kept.code } : {}),
                predictionId,
                attempt,
                attempts,
              },
        )
      }
    }
    const finished = await landClip(setup, unit, {
      shot: shot.id,
      sha256: outcome.sha256,
      key,
      source: 'provider',
    })
    const finishedTimings = timings()
    ctx.emit({
      type: 'done',
      ...aboutTake(unit),
      attempt: outcome.attempt,
      predictionId: outcome.predictionId,
      clip: finished.clip,
      sha256: outcome.sha256,
      key,
      timings: finishedTimings,
    })
    setup.settle(unit, {
      ...done,
      cost: ctx.budget.spentOn(shot.id, take),
      timings: finishedTimings,
      ...finished,
    })
  } catch (error) {
    if (ctx.signal?.aborted)
      setup.settle(unit, { shot: shot.id, status: 'aborted', predictionId: outcome.predictionId })
    else setup.fail(unit, error)
  }
}

/** A take that ended without a clip: aborted (a re-run picks it up) or failed, with what this run spent on it. */
function settleUnrendered(
  setup: PipelineSetup,
  unit: TakeUnit,
  outcome: Exclude<RenderOutcome, { status: 'rendered' }>,
): void {
  const { shot, take } = unit
  const predictionId = outcome.predictionId ? { predictionId: outcome.predictionId } : {}
  if (outcome.status === 'aborted')
    return setup.settle(unit, { shot: shot.id, status: 'aborted', ...predictionId })
  return setup.settle(unit, {
    shot: shot.id,
    status: 'failed',
    message: outcome.message,
    ...(outcome.code ? { code: outcome.code } : {}),
    ...predictionId,
    attempts: outcome.attempts,
    cost: setup.render.budget.spentOn(shot.id, take),
  })
}
