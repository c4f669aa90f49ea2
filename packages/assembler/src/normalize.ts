import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Fit } from '@storyreel/core'
import { type Canvas, SAMPLE_RATE, samplesFor } from './canvas.ts'
import { AssemblerError } from './errors.ts'
import { type FfmpegPriority, runFfmpeg } from './ffmpeg.ts'
import { writeAtomically } from './internal/temp-file.ts'
import { readTrackHeader, type TrackHeader } from './internal/track-header.ts'
import { keyframeInterval, MEZZANINE, mezzanineAudioArgs, mezzanineVideoArgs } from './mezzanine-format.ts'
import { type MediaInfo, probeMedia } from './probe.ts'

/** A whole clip on the canvas, in the mezzanine format; trims and seams are applied when joining. */
export interface Mezzanine {
  /** The video (MOV). */
  readonly file: string
  /** The audio (WAV), when the clip has any. */
  readonly audio?: string
  /** Names this mezzanine's content in the keys of the pieces made from it. */
  readonly key: string
  readonly frames: number
  /** Frames a body may start at (IDRs), ascending. */
  readonly keyframes: readonly number[]
  /** What the join checks before stream-copying it next to pieces. */
  readonly header: TrackHeader
  /** True when an earlier run had already made it. */
  readonly cached: boolean
}

export interface NormalizeOptions {
  readonly clip: string
  readonly canvas: Canvas
  readonly fit: Fit
  readonly workDir: string
  /** Distinguishes recipes across ffmpeg versions (their encoders differ). */
  readonly ffmpegVersion: string
  /** The clip's probe, when the caller has one. */
  readonly info?: MediaInfo | undefined
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((fraction: number) => void) | undefined
  /** The encode's CPU priority (see FfmpegPriority). */
  readonly priority?: FfmpegPriority | undefined
}

/**
 * The clip's mezzanine (see MEZZANINE), made unless `workDir` already holds it:
 * scaled to the canvas by `fit`, square pixels, the canvas's fps, yuv420p, and its
 * audio (if any) beside it as a WAV of 48 kHz stereo PCM exactly as long as the video. Cached under a
 * hash of the clip (path, size, mtime), the canvas, `fit`, the recipe and the
 * ffmpeg version, so a cached one is found with a `stat` and a header read.
 */
export async function normalizeClip(options: NormalizeOptions): Promise<Mezzanine> {
  const { clip, canvas, signal, priority } = options
  const source = await stat(clip).catch((cause: unknown) => {
    throw new AssemblerError('ASM_BAD_INPUT', `Cannot read ${clip}: it does not exist or is not readable.`, {
      cause,
      file: clip,
    })
  })
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        MEZZANINE.recipe,
        options.ffmpegVersion,
        resolve(clip),
        source.size,
        source.mtimeMs,
        canvas,
        options.fit,
      ]),
    )
    .digest('hex')
    .slice(0, 20)
  const file = join(options.workDir, `mezzanine-${key}.${MEZZANINE.container}`)
  const audio = join(options.workDir, `mezzanine-${key}.wav`)
  const cached = (await readMezzanine(file, audio, key, true)) ?? (await adopt(clip, canvas, key))
  if (cached) return cached

  const info = options.info ?? (await probeMedia(clip, { signal }))
  const video = info.video
  if (!video) throw new AssemblerError('ASM_BAD_INPUT', `${clip} has no video stream.`, { file: clip })
  const length = video.frames !== undefined ? video.frames / video.fps : (video.duration ?? info.duration)
  // Round away float noise (e.g. 47.99999) before rounding to whole frames.
  const frames = Math.max(1, Math.round(Math.round(length * canvas.fps * 1e6) / 1e6))
  const graph = [
    `[0:v:0]${videoChain(frames, canvas, options.fit)}[v]`,
    ...(info.audio ? [`[0:a:0]${audioChain(samplesFor(frames, canvas.fps))}[a]`] : []),
  ]
  const progress =
    options.onProgress && ((s: number) => options.onProgress?.(Math.min(1, (s * canvas.fps) / frames)))
  // The audio is written first, so a video file present means its audio (if any) is too.
  await writeAtomically(file, async (videoTemp) => {
    const video = [...mezzanineVideoArgs(canvas, { keyframes: true }), '-f', MEZZANINE.container]
    const args = ['-y', '-i', clip, '-filter_complex', graph.join(';'), '-map', '[v]', ...video]
    if (!info.audio) return runFfmpeg([...args, videoTemp], { signal, onProgress: progress, priority })
    return writeAtomically(audio, (audioTemp) =>
      runFfmpeg([...args, videoTemp, '-map', '[a]', ...mezzanineAudioArgs(), '-f', 'wav', audioTemp], {
        signal,
        onProgress: progress,
        priority,
      }),
    )
  })
  const made = await readMezzanine(file, audio, key, false)
  if (!made || made.frames !== frames)
    throw new AssemblerError(
      'FFMPEG_PROBE',
      `The mezzanine of ${clip} came out with ${made?.frames ?? 'no'} frames instead of ${frames}.`,
      { file },
    )
  return made
}

/** A mezzanine's facts from its header, or undefined when it is missing or unreadable. */
async function readMezzanine(
  file: string,
  audio: string,
  key: string,
  cached: boolean,
): Promise<Mezzanine | undefined> {
  const header = await readTrackHeader(file).catch(() => undefined)
  if (!header) return undefined
  const hasAudio = await stat(audio).then(
    () => true,
    () => false,
  )
  return {
    file,
    ...(hasAudio && { audio }),
    key,
    frames: header.frames,
    keyframes: header.keyframes,
    header,
    cached,
  }
}

/**
 * The clip itself, when it already is a mezzanine for `canvas` (written with
 * mezzanineVideoArgs, as the animatic can): H.264 on the canvas's size and rate,
 * no reordered frames, IDRs where mezzanines have them (0, then 1 and every
 * keyframeInterval after it), no audio. Its parameter sets are still compared with the
 * pieces' before a join copies it.
 */
async function adopt(clip: string, canvas: Canvas, key: string): Promise<Mezzanine | undefined> {
  const header = await readTrackHeader(clip).catch(() => undefined)
  if (!header || header.hasAudio || header.codec !== 'avc1' || !header.constantOrder) return undefined
  const interval = keyframeInterval(canvas)
  const expected = Array.from({ length: header.frames }, (_, i) => i).filter(
    (i) => i === 0 || (i - 1) % interval === 0,
  )
  const onCanvas =
    header.width === canvas.width &&
    header.height === canvas.height &&
    Math.abs(header.timescale / header.frameDelta - canvas.fps) < 1e-6
  if (!onCanvas || header.keyframes.join() !== expected.join()) return undefined
  return { file: clip, key, frames: header.frames, keyframes: header.keyframes, header, cached: true }
}

function videoChain(frames: number, canvas: Canvas, fit: Fit): string {
  const { width: w, height: h } = canvas
  const scale = `scale=${w}:${h}:force_original_aspect_ratio=${fit === 'cover' ? 'increase' : 'decrease'}:out_color_matrix=bt709:out_range=tv`
  return [
    'setpts=PTS-STARTPTS',
    scale,
    fit === 'cover' ? `crop=${w}:${h}` : `pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:color=black`,
    'setsar=1',
    `fps=${canvas.frameRate}`,
    // Clone the last frame a little, then cut at the exact count: rounding of the source length never leaves it short.
    'tpad=stop_mode=clone:stop_duration=1',
    `trim=end_frame=${frames}`,
    'format=yuv420p',
  ].join(',')
}

/** The clip's audio as 48 kHz stereo s16, padded with silence or cut to exactly `samples`. */
function audioChain(samples: number): string {
  return `asetpts=PTS-STARTPTS,aresample=${SAMPLE_RATE},aformat=sample_fmts=s16:channel_layouts=stereo,apad,atrim=end_sample=${samples},asetpts=PTS-STARTPTS`
}
