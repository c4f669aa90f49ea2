import type { LatencyEstimate, PlannedShot, Provider } from '@storyreel/core'
import type { RunEstimate } from './estimate.ts'
import type { SchedulerEvent, ShotTimings } from './events.ts'
import type { LedgerEntry } from './journal-replay.ts'

export interface RunOptions {
  readonly provider: Provider
  /** Holds the journal, `shots/<id>.mp4` and `frames/`; re-running with the same directory resumes. */
  readonly runDir: string
  /** Content-addressed clips shared between runs, e.g. `~/.cache/storyreel`. */
  readonly cacheDir: string
  /** Most predictions in flight at once (lowered for a while after a 429). */
  readonly concurrency: number
  /** USD. Refuses to start when the estimate is higher; stops retrying before spend would pass it. */
  readonly maxCost?: number
  /** New predictions tried after a failed one (not after a moderation failure). Default 1. */
  readonly retries?: number
  /** Ignore finished clips (cache and run directory): for every shot, or just the `only` shots. Default false. */
  readonly force?: boolean
  /**
   * Submit only these shots. The others are taken from the run directory or the cache when a clip
   * matching their current inputs exists, and skipped otherwise (nothing is submitted for them).
   */
  readonly only?: readonly string[]
  /** Stops new submissions and in-flight waits; the run rejects with `SCHED_ABORTED` and the next run re-attaches. */
  readonly signal?: AbortSignal
  readonly onEvent?: (event: SchedulerEvent) => void
  /** Clock for timestamps. Default `Date.now`. */
  readonly now?: () => number
  /** Render-time guess per shot in seconds, to rank ready shots by their remaining chain. Default: core's `estimateRenderSeconds`. */
  readonly estimateLatency?: LatencyEstimate
  /** Quiet time after a 429 before each slot is given back. Default 30 000 ms. */
  readonly rateLimitQuietMs?: number
}

export interface FinishedClip {
  readonly clip: string
  readonly sha256: string
  readonly key: string
  readonly frames: { readonly first: string; readonly last: string }
}

export type ShotOutcome =
  | (FinishedClip & {
      readonly shot: string
      readonly status: 'done'
      readonly predictionId: string
      /** Predictions this run waited for on the shot (a retry makes 2). */
      readonly attempts: number
      /** USD this run spent on the shot. */
      readonly cost: number
      readonly timings: ShotTimings
    })
  | (FinishedClip & { readonly shot: string; readonly status: 'cached'; readonly source: 'cache' | 'run-dir'; readonly predictionId?: string })
  | {
      readonly shot: string
      readonly status: 'failed'
      /** The provider's (the API's) message, or the scheduler's reason. */
      readonly message: string
      readonly code?: string
      readonly predictionId?: string
      readonly attempts: number
      readonly cost: number
    }
  | { readonly shot: string; readonly status: 'skipped'; readonly reason: string }
  /** Interrupted by the abort signal; a re-run picks it up. */
  | { readonly shot: string; readonly status: 'aborted'; readonly predictionId?: string }

export interface RunResult {
  /** In storyboard order. */
  readonly shots: readonly ShotOutcome[]
  readonly failures: readonly Extract<ShotOutcome, { status: 'failed' }>[]
  /** True when every shot has a clip. */
  readonly ok: boolean
  /** Every prediction created in this run directory, by any run, with its price. */
  readonly ledger: readonly LedgerEntry[]
  /** USD of the predictions this run created. */
  readonly spent: number
  /** What the run expected to submit before it started. */
  readonly estimate: RunEstimate
}
