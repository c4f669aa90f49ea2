import type { LatencyEstimate, Provider } from '@storyreel/core'
import type { ClipCache } from './clip-cache.ts'
import type { RunEstimate } from './estimate.ts'
import type { SchedulerEvent, ShotTimings } from './events.ts'
import type { LedgerEntry } from './journal-replay.ts'
import type { RunStore } from './run-store.ts'

/** A clip that just took its place in the run, before its frames are extracted. */
export interface LandedClip {
  readonly shot: string
  readonly clip: string
  readonly sha256: string
  readonly key: string
  /** `provider`: rendered by this run; `cache`, `run-dir`: reused. */
  readonly source: 'provider' | 'cache' | 'run-dir'
}

/** What the scheduler asks of its caller for clips, so it runs no ffmpeg itself. */
export interface ClipHooks {
  /**
   * Writes the clip's first and/or last video frame as PNG files at the given paths, each
   * atomically. The last frame must be the exact last one: a chained shot starts from it.
   * Pass the assembler's `extractFrames`.
   */
  readonly extractFrames: (
    clip: string,
    frames: { readonly first?: string; readonly last?: string },
    options: { readonly signal?: AbortSignal },
  ) => Promise<void>
  /**
   * Rejects a clip that does not decode as the shot asked (throw to reject), before a downloaded clip
   * is journaled and cached. A clip reused later is checked against the sha256 recorded then. Pass the assembler's `verifyClip`.
   */
  readonly verifyClip?: (
    clip: string,
    expected: { readonly duration: number },
    options: { readonly signal?: AbortSignal },
  ) => Promise<void>
  /** Called once per shot the moment its picked take's clip is in place (e.g. to start normalising it for the reel). Must not throw. */
  readonly onClip?: (clip: LandedClip) => void
}

export interface RunOptions extends ClipHooks {
  readonly provider: Provider
  /** Holds the journal, `shots/<id>.mp4` and `frames/`; re-running with the same directory resumes. Or give `store`. */
  readonly runDir?: string
  /** Where the run keeps its journal, lock and clips; default the file store in `runDir`. */
  readonly store?: RunStore
  /** Content-addressed clips shared between runs, e.g. `~/.cache/storyreel`. Or give `cache`. */
  readonly cacheDir?: string
  readonly cache?: ClipCache
  /** Strings (the API key) never written by the stores this run opens from `runDir` and `cacheDir`. */
  readonly secrets?: readonly string[]
  /** Most predictions in flight at once (lowered for a while after a 429). */
  readonly concurrency: number
  /** USD. Refuses to start when the estimate is higher; stops retrying before spend would pass it. */
  readonly maxCost?: number
  /**
   * Shown the estimate once it is known (after the `maxCost` check) and before anything is submitted;
   * false declines the run (`SCHED_NOT_APPROVED`). Throwing stops it too. Default: go ahead.
   */
  readonly approve?: (estimate: RunEstimate) => boolean | Promise<boolean>
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
      /** USD this run spent on the shot (refunds excluded). */
      readonly cost: number
      readonly timings: ShotTimings
    })
  | (FinishedClip & {
      readonly shot: string
      readonly status: 'cached'
      readonly source: 'cache' | 'run-dir'
      readonly predictionId?: string
    })
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

/** What happened to one take of a shot. The picked take's outcome is also the shot's (`RunResult.shots`). */
export type TakeOutcome = ShotOutcome & {
  readonly take: number
  /** The storyboard's pick: the take in the reel, in `shots/<id>.mp4`, that chained shots start from. */
  readonly picked: boolean
}

/** A failed take: the shot's own failure when `picked`, else an alternative take that failed beside a picked one. */
export type FailedOutcome = Extract<ShotOutcome, { status: 'failed' }> & {
  readonly take?: number
  readonly picked?: boolean
}

export interface RunResult {
  /** In storyboard order: each shot's picked take (`clip`, `frames` are `shots/<id>.mp4` and `frames/<id>.*.png`). */
  readonly shots: readonly ShotOutcome[]
  /** Every take of every shot, in storyboard order then by take (a clip's `clip` and `frames` at the take's own place). */
  readonly takes: readonly TakeOutcome[]
  /** Failed takes, picked or not. */
  readonly failures: readonly FailedOutcome[]
  /** True when every shot has a clip and no take failed. */
  readonly ok: boolean
  /** Every prediction created in this run directory, by any run, with its price (refunded ones marked). */
  readonly ledger: readonly LedgerEntry[]
  /** USD of the predictions this run created, less what the service refunded. */
  readonly spent: number
  /** What the run expected to submit before it started. */
  readonly estimate: RunEstimate
  /**
   * sha256 of each image file the run sent or would send, by absolute path: the storyboard's images and
   * the last frames chained shots start from. Read once here, so nobody hashes them again.
   */
  readonly images: ReadonlyMap<string, string>
}
