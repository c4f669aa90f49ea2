import { AssemblerError, type ClipProblem } from './errors.ts'
import { decodeFrames, type FramePaths } from './frames.ts'
import { type MediaInfo, probeMedia, type VideoStreamInfo } from './probe.ts'

export interface VerifyClipOptions {
  /** Seconds the clip was asked to last. */
  readonly expectedDuration: number
  /** How far the video's duration may be from `expectedDuration`, in seconds; default 0.5. */
  readonly toleranceSeconds?: number
  /** Frames to write from the same decode, so a verified clip is never decoded again for them. */
  readonly frames?: FramePaths
  readonly signal?: AbortSignal | undefined
}

export interface VerifiedClip {
  /** The probe, with its video stream. */
  readonly info: MediaInfo & { readonly video: VideoStreamInfo }
  /** The video stream's duration in seconds. */
  readonly duration: number
  /** The frames written (the paths given in `frames`). */
  readonly frames: FramePaths
}

const DEFAULT_TOLERANCE = 0.5

/**
 * Proves that a file is a usable clip before anyone keeps it: ffprobe reads a
 * video stream, its duration is within `toleranceSeconds` of the request, and
 * every frame decodes to the last one (`-xerror`, so a truncated or corrupted
 * file fails instead of being concealed). The requested frames are written
 * during that same decode.
 *
 * @throws AssemblerError `ASM_CLIP_INVALID` with `problem` `not-a-video`,
 *   `wrong-duration` or `undecodable`; `ASM_BAD_INPUT` when the file is missing.
 * @example
 * const { duration } = await verifyClip('shots/a.mp4', { expectedDuration: 5, frames: { first: 'a.first.png', last: 'a.last.png' } })
 */
export async function verifyClip(clip: string, options: VerifyClipOptions): Promise<VerifiedClip> {
  const { expectedDuration, toleranceSeconds = DEFAULT_TOLERANCE, frames = {}, signal } = options
  const invalid = (
    problem: ClipProblem,
    what: string,
    extra: { cause?: unknown; duration?: number } = {},
  ): AssemblerError =>
    new AssemblerError(
      'ASM_CLIP_INVALID',
      `${clip} ${what}, so it is not a usable clip. Discard it and download it again.`,
      { file: clip, problem, expectedDuration, ...extra },
    )

  const info = await probeMedia(clip, { signal }).catch((error: unknown) => {
    if ((error as AssemblerError).code !== 'FFMPEG_EXIT') throw error
    throw invalid(
      'not-a-video',
      `is not a video ffmpeg can read (${lastLine(error, clip)}); an error page or a cut-off download looks like this`,
      { cause: error },
    )
  })
  const { video } = info
  if (!video) throw invalid('not-a-video', 'has no video stream')
  const duration = video.duration ?? info.duration
  if (!(Math.abs(duration - expectedDuration) <= toleranceSeconds))
    throw invalid(
      'wrong-duration',
      `lasts ${duration.toFixed(2)} s but ${expectedDuration} s was asked for`,
      { duration },
    )

  await decodeFrames(clip, video, frames, { signal, wholeClip: true }).catch((error: unknown) => {
    const code = (error as AssemblerError).code
    if (code !== 'FFMPEG_EXIT' && code !== 'FFMPEG_PROBE') throw error
    throw invalid(
      'undecodable',
      `does not decode to its last frame (${lastLine(error, clip)}): it is truncated or corrupt`,
      { cause: error, duration },
    )
  })
  return { info: { ...info, video }, duration, frames }
}

/** The line of ffmpeg's complaint that says the most: its last stderr line, else the message. */
function lastLine(error: unknown, clip: string): string {
  const { stderr, message } = error as AssemblerError
  const line = (stderr ?? '').trim().split('\n').at(-1) || message.split('\n').at(-1) || 'unreadable'
  // ffmpeg prefixes lines with `[demuxer @ 0x…]` or the input's path; the message names the file already.
  const bare = line.replace(/^\[[^\]]*\]\s*/, '').trim()
  return bare.startsWith(`${clip}: `) ? bare.slice(clip.length + 2) : bare
}
