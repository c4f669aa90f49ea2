import { readFile } from 'node:fs/promises'
import { redact } from '@storyreel/scheduler'
import writeFileAtomic from 'write-file-atomic'
import type { ImageDescription } from './describe-image.ts'
import type { ShotState } from './run-state.ts'

/** Bumped when a field changes meaning or goes away; new optional fields do not bump it. */
export const MANIFEST_VERSION = 1

export type RunStatus = 'completed' | 'failed' | 'interrupted'

export interface ManifestAttempt {
  readonly predictionId?: string
  readonly submittedAt?: string
  readonly startedAt?: string
  readonly completedAt?: string
  readonly inferenceMs?: number
  readonly cost: number
  readonly error?: string
}

/** One take of a shot (`takes: N` in the storyboard renders N, each its own prediction). */
export interface ManifestTake {
  readonly take: number
  readonly predictionId?: string
  /** Relative to the run directory: `takes/<id>/take-<n>.mp4`. */
  readonly clip?: { readonly file: string; readonly sha256?: string }
  readonly frames?: { readonly first: string; readonly last: string }
  /** USD this run spent on the take; 0 when it was already rendered. */
  readonly cost: number
  readonly status: 'done' | 'cached' | 'failed' | 'skipped' | 'interrupted'
  /** The take in the reel (`shots/<id>.mp4`), the one chained shots start from. */
  readonly picked: boolean
  readonly error?: string
}

export interface ManifestShot {
  readonly id: string
  readonly index: number
  readonly model: string
  readonly cacheKey?: string
  readonly status: ShotState
  /** What the API was sent: the resolved params, with images described instead of their bytes. */
  readonly params: Readonly<Record<string, unknown>> & {
    readonly image?: ImageDescription
    readonly end_image?: ImageDescription
    readonly last_image?: ImageDescription
  }
  readonly dependsOn: readonly string[]
  readonly attempts: readonly ManifestAttempt[]
  readonly timings: {
    readonly queuedAt?: string
    readonly submittedAt?: string
    readonly startedAt?: string
    readonly completedAt?: string
    readonly inferenceMs?: number
  }
  /** USD spent on this shot in this run, every attempt counted; 0 when cached. */
  readonly cost: number
  readonly clip?: { readonly file: string; readonly sha256?: string }
  readonly frames?: { readonly first: string; readonly last: string }
  readonly error?: string
  /** The storyboard's pick: the take in `clip` and `frames`. */
  readonly pick?: number
  /** Every take the storyboard asks for, in order, once the run ended. */
  readonly takes?: readonly ManifestTake[]
}

export interface LedgerEntry {
  readonly predictionId: string
  readonly shot: string
  /** Which take of the shot the prediction rendered. */
  readonly take?: number
  readonly model: string
  /** USD: 0 for a prediction the service refunded. */
  readonly cost: number
  readonly createdAt?: string
  /** The prediction failed and the service gave its price back. */
  readonly refunded?: boolean
}

export interface Manifest {
  readonly manifestVersion: number
  readonly storyreelVersion: string
  readonly storyboard: { readonly path: string; readonly sha256: string; readonly title: string }
  readonly provider: string
  readonly status: RunStatus
  readonly createdAt: string
  readonly finishedAt: string
  readonly concurrency: number
  readonly reel?: {
    readonly file: string
    readonly duration?: number
    readonly sha256?: string
    /** Hash of what the reel was made from (storyboard, clips, soundtrack): a re-run with the same inputs keeps the reel. */
    readonly inputsSha256?: string
    /** When the reel file was written (ISO): the moment it could be watched. */
    readonly writtenAt?: string
  }
  readonly contactSheet?: string
  readonly shots: readonly ManifestShot[]
  readonly totals: {
    readonly shots: number
    readonly rendered: number
    readonly cached: number
    readonly failed: number
    readonly skipped: number
    /** USD estimated before the run for what it would submit. */
    readonly estimatedCost: number
    /** USD of every prediction this run created. */
    readonly cost: number
    readonly videoSeconds: number
    readonly wallMs: number
  }
  readonly ledger: readonly LedgerEntry[]
}

/**
 * Writes the manifest atomically. `secrets` are scrubbed from the text as a last
 * line of defence: nothing should carry the API key here, and if a bug ever made
 * something do so, the file on disk still must not.
 */
export async function writeManifest(
  path: string,
  manifest: Manifest,
  secrets: readonly string[],
): Promise<void> {
  await writeFileAtomic(path, redact(`${JSON.stringify(manifest, null, 2)}\n`, secrets))
}

export async function readManifest(path: string): Promise<Manifest> {
  return JSON.parse(await readFile(path, 'utf8')) as Manifest
}
