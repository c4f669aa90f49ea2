import type { AssemblyPhase } from './assemble-outputs.ts'

/**
 * What the CLI knows about a run while it happens: one record per shot, fed by
 * the scheduler's events. The progress views, the manifest and the report all
 * read this, so they never disagree about a shot.
 */

export type ShotState =
  | 'waiting'
  | 'queued'
  | 'uploading'
  | 'submitted'
  | 'processing'
  | 'downloading'
  | 'done'
  | 'cached'
  | 'failed'
  | 'skipped'

export const FINAL_STATES: ReadonlySet<ShotState> = new Set(['done', 'cached', 'failed', 'skipped'])

export interface AttemptRecord {
  /** The take the attempt rendered, when it was not the picked one. */
  take?: number
  predictionId?: string
  /** Epoch ms. */
  submittedAt?: number
  startedAt?: number
  completedAt?: number
  inferenceMs?: number
  cost: number
  error?: string
}

export interface ShotRecord {
  readonly id: string
  readonly index: number
  readonly model: string
  readonly duration: number
  readonly prompt: string
  readonly dependsOn: readonly string[]
  /** The storyboard's `takes` and `pick`. */
  readonly takeCount: number
  readonly pick: number
  /** Every take's outcome, once the run ended (the scheduler's `RunResult.takes`). */
  takes?: TakeRecord[]
  state: ShotState
  /** USD spent on this shot's predictions in this run (a re-attached prediction costs nothing again). */
  spent: number
  cacheKey?: string
  attempts: AttemptRecord[]
  /** Epoch ms of each milestone of the attempt that counted. */
  queuedAt?: number
  submittedAt?: number
  startedAt?: number
  completedAt?: number
  inferenceMs?: number
  /** Absolute path of the finished clip, its sha256 and its frames, as the scheduler reports them. */
  clip?: string
  sha256?: string
  frames?: { readonly first: string; readonly last: string }
  error?: string
}

/** One take of a shot as the run left it. */
export interface TakeRecord {
  readonly take: number
  readonly status: 'done' | 'cached' | 'failed' | 'skipped' | 'interrupted'
  readonly picked: boolean
  readonly predictionId?: string
  /** Absolute paths at the take's own place (`takes/<id>/take-<n>.*`). */
  readonly clip?: string
  readonly sha256?: string
  readonly frames?: { readonly first: string; readonly last: string }
  /** USD this run spent on the take. */
  readonly cost: number
  readonly error?: string
}

export interface RunState {
  readonly startedAt: number
  readonly concurrency: number
  /** False for a free provider (the animatic): its predictions cost nothing, whatever the catalog price. */
  readonly paid: boolean
  readonly shots: ShotRecord[]
  /** USD of the predictions created so far (each attempt counts, unless the service refunded it). */
  spent: number
  /** USD this run expects to spend (cached shots excluded). */
  estimate: number
  /** Stitching, once the renders are over: the phase, how far it is (0–1), and when stitching started (epoch ms). */
  assembly?: { phase: AssemblyPhase; fraction: number; readonly startedAt: number }
}

export function shotById(run: RunState, id: string): ShotRecord | undefined {
  return run.shots.find((s) => s.id === id)
}
