import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Fit } from '@storyreel/core'
import { SAMPLE_RATE, samplesFor, type Canvas } from './canvas.ts'
import { AssemblerError } from './errors.ts'
import { runFfmpeg } from './ffmpeg.ts'
import { writeAtomically } from './internal/temp-file.ts'
import type { MediaInfo } from './probe.ts'

/** Bumped whenever the mezzanine recipe changes, so stale cached files are not reused. */
const RECIPE = 1

export interface SegmentCut {
  /** Seconds from the clip's start. */
  readonly trim?: { readonly start?: number; readonly end?: number } | undefined
  /** Drop the first frame: it repeats the previous clip's last frame. Ignored when `trim.start` already cuts into the clip. */
  readonly seam: boolean
}

/** A segment as it enters the reel: which source frames, how many canvas frames. */
export interface SegmentWindow {
  /** Seconds into the source where the used part starts and ends. */
  readonly start: number
  readonly end: number
  /** Whether `start`/`end` cut into the clip (else the whole clip is used). */
  readonly trimmed: boolean
  readonly dropsSeamFrame: boolean
  /** Frames at the canvas rate; the mezzanine has exactly this many. */
  readonly frames: number
}

/** Works out which part of a clip a segment uses and how many canvas frames that is. */
export function segmentWindow(info: MediaInfo, cut: SegmentCut, canvas: Canvas): SegmentWindow {
  const video = info.video
  if (!video) throw new AssemblerError('ASM_BAD_INPUT', `${info.file} has no video stream.`, { file: info.file })
  const length = video.frames !== undefined ? video.frames / video.fps : (video.duration ?? info.duration)
  const start = cut.trim?.start ?? 0
  const end = Math.min(cut.trim?.end ?? length, length)
  if (!(start >= 0 && end > start))
    throw new AssemblerError(
      'ASM_BAD_INPUT',
      `Trim ${start}–${cut.trim?.end ?? 'end'} s leaves nothing of ${info.file}, which lasts ${length.toFixed(3)} s. Use 0 ≤ start < end ≤ the clip's length.`,
      { file: info.file },
    )
  const dropsSeamFrame = cut.seam && start === 0
  const used = end - start - (dropsSeamFrame ? 1 / video.fps : 0)
  // Round away float noise (e.g. 47.99999) before rounding to whole frames.
  const frames = Math.max(1, Math.round(Math.round(used * canvas.fps * 1e6) / 1e6))
  return { start, end, trimmed: start > 0 || end < length, dropsSeamFrame, frames }
}

export interface Mezzanine {
  readonly file: string
  readonly frames: number
  readonly samples: number
  /** True when an earlier run had already made it. */
  readonly cached: boolean
}

export interface NormalizeOptions {
  readonly info: MediaInfo
  readonly cut: SegmentCut
  readonly canvas: Canvas
  readonly fit: Fit
  readonly workDir: string
  /** Distinguishes recipes across ffmpeg versions (their encoders differ). */
  readonly ffmpegVersion: string
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((fraction: number) => void) | undefined
}

/**
 * Re-encodes one segment into a mezzanine (MOV, H.264 + PCM) that matches the canvas
 * exactly: size by `fit`, square pixels, canvas fps, yuv420p, BT.709 tags, and 48 kHz
 * stereo audio of exactly the video's length (silence when the clip has none), trim
 * applied and the seam frame dropped. PCM keeps sample counts exact so cut joins never
 * drift. Cached in `workDir` under a hash of the source (path, size, mtime) and recipe.
 */
export async function normalizeSegment(options: NormalizeOptions): Promise<Mezzanine> {
  const { info, cut, canvas, fit, workDir, signal } = options
  const window = segmentWindow(info, cut, canvas)
  const samples = samplesFor(window.frames, canvas.fps)
  const source = await stat(info.file)
  const key = createHash('sha256')
    .update(JSON.stringify([RECIPE, options.ffmpegVersion, resolve(info.file), source.size, source.mtimeMs, window, canvas, fit]))
    .digest('hex')
    .slice(0, 20)
  const file = join(workDir, `mezzanine-${key}.mov`)
  if (await exists(file)) return { file, frames: window.frames, samples, cached: true }

  const graph = [`[0:v:0]${videoChain(window, canvas, fit)}[v]`, `${audioChain(info, window, samples)}[a]`].join(';')
  await writeAtomically(file, (temp) =>
    runFfmpeg(
      [
        '-y',
        '-i',
        info.file,
        '-filter_complex',
        graph,
        '-map',
        '[v]',
        '-map',
        '[a]',
        ...MEZZANINE_VIDEO,
        '-c:a',
        'pcm_s16le',
        '-f',
        'mov',
        temp,
      ],
      { signal, onProgress: options.onProgress && ((s) => options.onProgress?.(Math.min(1, (s * canvas.fps) / window.frames))) },
    ),
  )
  return { file, frames: window.frames, samples, cached: false }
}

/** Near-lossless and fast: the mezzanine is re-encoded at most once more, for transitions. */
const MEZZANINE_VIDEO = [
  '-vsync',
  'passthrough',
  '-c:v',
  'libx264',
  '-preset',
  'veryfast',
  '-crf',
  '16',
  '-pix_fmt',
  'yuv420p',
  ...bt709Tags(),
]

/** Colour tags for the encoder: untagged HD decodes with shifted colours in some players. */
export function bt709Tags(): string[] {
  return ['-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv']
}

function videoChain(window: SegmentWindow, canvas: Canvas, fit: Fit): string {
  const { width: w, height: h } = canvas
  const filters: string[] = []
  if (window.dropsSeamFrame) filters.push('trim=start_frame=1')
  if (window.trimmed) filters.push(`trim=start=${window.start}:end=${window.end}`)
  filters.push('setpts=PTS-STARTPTS')
  const scale = `scale=${w}:${h}:force_original_aspect_ratio=${fit === 'cover' ? 'increase' : 'decrease'}:out_color_matrix=bt709:out_range=tv`
  filters.push(scale, fit === 'cover' ? `crop=${w}:${h}` : `pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:color=black`)
  filters.push('setsar=1', `fps=${canvas.frameRate}`)
  // Clone the last frame a little, then cut at the exact count: rounding of the source length never leaves the segment short.
  filters.push('tpad=stop_mode=clone:stop_duration=1', `trim=end_frame=${window.frames}`, 'format=yuv420p')
  return filters.join(',')
}

function audioChain(info: MediaInfo, window: SegmentWindow, samples: number): string {
  const exact = `apad,atrim=end_sample=${samples},asetpts=PTS-STARTPTS`
  if (!info.audio) return `anullsrc=r=${SAMPLE_RATE}:cl=stereo,atrim=end_sample=${samples}`
  const start = window.start + (window.dropsSeamFrame ? 1 / info.video!.fps : 0)
  return `[0:a:0]atrim=start=${start}:end=${window.end},asetpts=PTS-STARTPTS,aresample=${SAMPLE_RATE},aformat=sample_fmts=s16:channel_layouts=stereo,${exact}`
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  )
}
