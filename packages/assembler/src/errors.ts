/**
 * Every failure of @storyreel/assembler: a typed `code`, a message that says
 * what happened and what to do, the cause, and the facts a caller may act on.
 */
export type AssemblerErrorCode =
  /** No ffmpeg or ffprobe could be found or started. */
  | 'FFMPEG_NOT_FOUND'
  /** ffmpeg or ffprobe exited with an error; `stderr` holds its last lines. */
  | 'FFMPEG_EXIT'
  /** The ffmpeg found lacks a filter (or encoder) a feature needs; `missing` names it. */
  | 'FFMPEG_MISSING_FILTER'
  /** ffprobe's answer could not be read, or the file has no video stream. */
  | 'FFMPEG_PROBE'
  /** The inputs to assembleReel are unusable (no segments, bad trim, missing file). */
  | 'ASM_BAD_INPUT'
  /** A soundtrack's loudness could not be measured. */
  | 'ASM_LOUDNESS'
  /** renderMotionClip cannot draw its text: no font was found. */
  | 'ASM_ANIMATIC'
  /** verifyClip: the file is not a usable clip; `problem` says why, `duration`/`expectedDuration` give the figures. */
  | 'ASM_CLIP_INVALID'

/** Why verifyClip rejected a file. */
export type ClipProblem =
  /** ffprobe cannot read it as media (an error page, an empty or cut-off file), or it has no video stream. */
  | 'not-a-video'
  /** Its video lasts longer or shorter than was asked for, beyond the tolerance. */
  | 'wrong-duration'
  /** It does not decode to its last frame: truncated or corrupt. */
  | 'undecodable'

export interface AssemblerErrorData {
  readonly cause?: unknown
  /** Last lines ffmpeg/ffprobe wrote to stderr. */
  readonly stderr?: string
  readonly exitCode?: number | null
  /** The command's arguments, for reproducing it (never contains secrets: only paths and filters). */
  readonly args?: readonly string[]
  /** Filters or encoders the found ffmpeg lacks. */
  readonly missing?: readonly string[]
  readonly file?: string
  /** ASM_CLIP_INVALID: why the clip was rejected. */
  readonly problem?: ClipProblem
  /** ASM_CLIP_INVALID: the video's duration in seconds, when it could be read. */
  readonly duration?: number
  /** ASM_CLIP_INVALID: the duration that was asked for. */
  readonly expectedDuration?: number
}

export class AssemblerError extends Error {
  override readonly name = 'AssemblerError'
  readonly code: AssemblerErrorCode
  readonly stderr?: string
  readonly exitCode?: number | null
  readonly args?: readonly string[]
  readonly missing?: readonly string[]
  readonly file?: string
  readonly problem?: ClipProblem
  readonly duration?: number
  readonly expectedDuration?: number

  constructor(code: AssemblerErrorCode, message: string, data: AssemblerErrorData = {}) {
    super(message, { cause: data.cause })
    this.code = code
    if (data.stderr !== undefined) this.stderr = data.stderr
    if (data.exitCode !== undefined) this.exitCode = data.exitCode
    if (data.args !== undefined) this.args = data.args
    if (data.missing !== undefined) this.missing = data.missing
    if (data.file !== undefined) this.file = data.file
    if (data.problem !== undefined) this.problem = data.problem
    if (data.duration !== undefined) this.duration = data.duration
    if (data.expectedDuration !== undefined) this.expectedDuration = data.expectedDuration
  }
}
