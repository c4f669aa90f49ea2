import type { PlannedShot, RenderRequest, RenderResult } from '@storyreel/core'
import type { RenderDecision } from './decide-shot.ts'
import type { Downloaded } from './download-clip.ts'
import { priceOf } from './estimate.ts'
import { aboutTake, type RenderContext, type TakeUnit } from './render-context.ts'

export type RenderOutcome =
  | {
      readonly status: 'rendered'
      readonly clip: string
      readonly sha256: string
      readonly predictionId: string
      readonly attempt: number
      readonly attempts: number
      readonly submittedAt?: number
      readonly inferenceMs?: number
      /**
       * Only when the render was asked to `deferCheck`: the clip is fetched and hashed but not yet checked
       * (`verifyClip`), journaled or cached; this does that, and resolves `ok: false` for a clip that fails.
       */
      readonly keep?: () => Promise<Downloaded>
    }
  | {
      readonly status: 'failed'
      readonly message: string
      readonly code?: string
      readonly predictionId?: string
      readonly attempt?: number
      readonly attempts: number
    }
  | { readonly status: 'aborted'; readonly predictionId?: string; readonly attempts: number }

export type FailedRender = Extract<RenderOutcome, { status: 'failed' }>

/** The prediction a take is waiting on; `output` when it is known to be finished already. */
export interface LivePrediction {
  readonly attempt: number
  readonly id: string
  readonly output?: RenderResult
}

/**
 * One take on its way through its predictions: what it was asked (fixed) and where it stands
 * (changed by each step). The steps in `adopt-prediction.ts`, `submit-prediction.ts`,
 * `attempt-failure.ts` and `resume-take.ts` share it, so the attempt count has one owner.
 */
export interface TakeAttempt {
  readonly unit: TakeUnit
  readonly shot: PlannedShot
  readonly take: number
  readonly decision: RenderDecision
  readonly request: RenderRequest
  readonly ctx: RenderContext
  readonly about: ReturnType<typeof aboutTake>
  /** USD one prediction of this shot costs. */
  readonly price: number
  /** Predictions this run waited for (or adopted) on the take. */
  attempts: number
  live: LivePrediction | undefined
  /** The last failure recorded, for the message when a retry is refused. */
  lastFailure: FailedRender | undefined
  /** When this run's own submission of the live prediction returned. */
  submittedAt: number | undefined
}

export function startAttempt(
  unit: TakeUnit,
  decision: RenderDecision,
  request: RenderRequest,
  ctx: RenderContext,
): TakeAttempt {
  return {
    unit,
    shot: unit.shot,
    take: unit.take,
    decision,
    request,
    ctx,
    about: aboutTake(unit),
    price: priceOf(unit.shot, ctx.provider),
    attempts: 0,
    live: undefined,
    lastFailure: undefined,
    submittedAt: undefined,
  }
}
