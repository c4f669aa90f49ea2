import type { PlannedShot, Provider, ProviderCallOptions } from '@storyreel/core'
import type { RenderBudget } from './budget.ts'
import type { ClipCache } from './clip-cache.ts'
import type { SchedulerEvent } from './events.ts'
import type { RunLayout } from './run-layout.ts'
import type { RunJournal } from './run-store.ts'
import type { ClipHooks } from './run-types.ts'

/** An event as the run's parts report it; the run adds the time and the shot's spend. */
export type EmitInput = SchedulerEvent extends infer E
  ? E extends SchedulerEvent
    ? Omit<E, 'at' | 'spent'>
    : never
  : never

/** What taking one shot through its predictions needs from the run. */
export interface RenderContext {
  readonly provider: Provider
  readonly layout: RunLayout
  readonly journal: RunJournal
  readonly cache: ClipCache
  readonly budget: RenderBudget
  readonly verifyClip?: ClipHooks['verifyClip']
  readonly maxCost?: number
  readonly retries: number
  readonly signal?: AbortSignal
  readonly now: () => number
  /** Prediction ids the journal already knows, so a lookup never adopts one twice. */
  readonly knownIds: Set<string>
  nextAttempt(shot: string): number
  emit(event: EmitInput): void
  onRateLimit(retryAfterMs: number): void
}

/**
 * What the provider is told for one attempt: the signal (not for a submission already sent, which
 * must finish so its id is journaled), 429s, and its phases as `uploading` and `processing` events.
 */
export function providerCallOptions(
  ctx: RenderContext,
  unit: TakeUnit,
  attempt: number,
  id: string | undefined,
  abortable: boolean,
): ProviderCallOptions {
  let processing = false
  const about = aboutTake(unit)
  return {
    ...(ctx.signal && abortable ? { signal: ctx.signal } : {}),
    onRateLimit: ctx.onRateLimit,
    onPhase: (phase) => {
      if (phase === 'uploading') ctx.emit({ type: 'uploading', ...about, attempt })
      if (phase === 'processing' && id && !processing) {
        processing = true
        ctx.emit({ type: 'processing', ...about, attempt, predictionId: id })
      }
    },
  }
}

/** One take of a shot: what the scheduler submits, waits for and lands, each on its own. */
export interface TakeUnit {
  readonly shot: PlannedShot
  readonly take: number
}

/** The fields every event about one take carries. */
export function aboutTake(unit: TakeUnit): {
  readonly shot: string
  readonly take: number
  readonly picked: boolean
} {
  return { shot: unit.shot.id, take: unit.take, picked: unit.take === unit.shot.pick }
}
