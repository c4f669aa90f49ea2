import type { OutputSpec, Transition } from '@storyreel/core'
import type { Canvas } from './canvas.ts'
import type { LoudnessMeasurement } from './soundtrack.ts'

export interface ReelSegment {
  /** The shot's clip. */
  readonly file: string
  /** The shot id, for progress and errors. */
  readonly id: string
  readonly trim?: { readonly start?: number; readonly end?: number } | undefined
  /** The clip starts on the previous clip's last frame: drop its first frame. */
  readonly seam: boolean
  /** How the reel enters this segment; ignored for the first. Defaults to `output.transition`. */
  readonly transition?: Transition | undefined
}

/** A segment of an incremental reel: its clip may land later (see IncrementalReel.clipLanded). */
export type ReelShot = Omit<ReelSegment, 'file'> & {
  readonly file?: string | undefined
  /**
   * The clip's length in seconds when it is known before the clip lands (the
   * animatic renders the shot's exact duration). With every segment's known, the
   * soundtrack is measured and encoded for that length at once, instead of after
   * the last clip; a wrong guess only costs that background work.
   */
  readonly expectedSeconds?: number | undefined
}

/**
 * What is being done: mezzanines made (`normalize`), transitions and cut points
 * re-encoded (`transitions`), the soundtrack measured (`loudness`), the reel written (`join`).
 */
export type ReelStage = 'normalize' | 'transitions' | 'loudness' | 'join'

export interface ReelProgress {
  readonly stage: ReelStage
  /** 0–1 for the stage, from ffmpeg's `-progress` reports. */
  readonly fraction: number
  /** The segment being normalized. */
  readonly segment?: string
}

export interface AssembleReelOptions {
  readonly segments: readonly ReelSegment[]
  /** `file` is absolute or relative to the working directory; `audio.file` likewise. */
  readonly output: OutputSpec
  /** Where mezzanines and re-encoded pieces are cached between runs. Created if missing. */
  readonly workDir: string
  /** Where ffmpeg's capabilities are cached (see locateFfmpeg); default `workDir`. */
  readonly cacheDir?: string | undefined
  readonly signal?: AbortSignal
  readonly onProgress?: (progress: ReelProgress) => void
  /** ffmpeg jobs at once while finishing; default 2 (x264 is multi-threaded already). */
  readonly concurrency?: number
  /** `changes` (default): re-encode only transitions and cut points between keyframes; `all`: the whole reel in one graph. */
  readonly reencode?: 'changes' | 'all'
}

/**
 * Which way the reel was made: `stream-copy` of the clips themselves; `concat` of
 * mezzanines (only cuts); `smart`: mezzanines copied with the transitions between
 * them re-encoded as pieces; `transitions`: everything through one graph and encode.
 */
export type ReelMethod = 'stream-copy' | 'concat' | 'smart' | 'transitions'

export interface ReelResult {
  readonly file: string
  readonly method: ReelMethod
  readonly canvas: Canvas
  /** Video frames in the reel, as planned (sum of segments less crossfades). */
  readonly frames: number
  readonly duration: number
  /** `cached`: the segment's mezzanine existed before (made by an earlier run or in the background). */
  readonly segments: readonly { readonly id: string; readonly frames: number; readonly cached: boolean }[]
  /** Frames encoded while finishing: pieces not found in the cache, or the whole reel. */
  readonly reencodedFrames: number
  /** What the first loudnorm pass measured on the soundtrack, when there was one. */
  readonly soundtrackLoudness?: LoudnessMeasurement
}
