import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { countFrames, type MediaInfo, probeMedia, runFfmpeg } from '../src/index.ts'

export { tempDir } from '@storyreel/test-utils'

export interface ClipSpec {
  readonly width?: number
  readonly height?: number
  readonly fps?: number | string
  readonly frames: number
  /** Seconds of 440 Hz tone; omitted means no audio stream. */
  readonly audioSeconds?: number
  /**
   * Luma of frame n is `lumaBase + lumaStep * n` (flat grey), encoded losslessly, so a
   * frame's index can be read back from its brightness. Default: a test pattern.
   */
  readonly lumaStep?: number
  readonly lumaBase?: number
  /** A flat grey value for every frame. */
  readonly luma?: number
}

/** Generates an H.264 MP4 with lavfi: exact frame count, optional audio of any length. */
export async function makeClip(file: string, spec: ClipSpec): Promise<string> {
  const { width = 160, height = 90, fps = 24, frames } = spec
  const size = `s=${width}x${height}:r=${fps}`
  const video =
    spec.lumaStep !== undefined
      ? `nullsrc=${size},geq=lum='${spec.lumaBase ?? 16}+${spec.lumaStep}*N':cb=128:cr=128`
      : spec.luma !== undefined
        ? `color=c=black:${size},geq=lum=${spec.luma}:cb=128:cr=128`
        : `testsrc2=${size}`
  // trim in the graph, not -frames:v, which would also end the audio at the video's end.
  const args = ['-y', '-f', 'lavfi', '-i', `${video},trim=end_frame=${frames}`]
  if (spec.audioSeconds !== undefined)
    args.push('-f', 'lavfi', '-i', `sine=f=440:r=44100:d=${spec.audioSeconds}`)
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', '-pix_fmt', 'yuv420p')
  if (spec.audioSeconds !== undefined) args.push('-c:a', 'aac', '-map', '0:v', '-map', '1:a')
  args.push(file)
  await runFfmpeg(args)
  return file
}

/** Mean luma (the Y plane's code values, no range conversion) of every frame of `file`, in order. */
export async function lumaSeries(
  file: string,
  dir: string,
  crop?: { x: number; y: number; w: number; h: number },
): Promise<number[]> {
  const raw = join(dir, `luma-${Math.random().toString(36).slice(2)}.raw`)
  await runFfmpeg([
    '-y',
    '-i',
    file,
    '-map',
    '0:v:0',
    '-vsync',
    'passthrough',
    '-vf',
    `${crop ? `crop=${crop.w}:${crop.h}:${crop.x}:${crop.y},` : ''}scale=8:8:flags=area`,
    '-f',
    'rawvideo',
    '-pix_fmt',
    'yuv420p',
    raw,
  ])
  const bytes = await readFile(raw)
  await rm(raw)
  const series: number[] = []
  // Read only the 8x8 Y plane of each 96-byte yuv420p frame: converting to grey would rescale tv-range frames.
  for (let i = 0; i + 96 <= bytes.length; i += 96) {
    let sum = 0
    for (let j = i; j < i + 64; j++) sum += bytes[j]!
    series.push(sum / 64)
  }
  return series
}

/** RMS (0–1) of the audio of `file`, mixed to mono, in consecutive windows of `windowSeconds`. */
export async function audioRms(file: string, dir: string, windowSeconds = 0.1): Promise<number[]> {
  const raw = join(dir, `pcm-${Math.random().toString(36).slice(2)}.raw`)
  await runFfmpeg(['-y', '-i', file, '-map', '0:a:0', '-ac', '1', '-ar', '48000', '-f', 's16le', raw])
  const bytes = await readFile(raw)
  await rm(raw)
  const samples = new Int16Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 2))
  const size = Math.round(48000 * windowSeconds)
  const windows: number[] = []
  for (let i = 0; i + size <= samples.length; i += size) {
    let sum = 0
    for (let j = i; j < i + size; j++) sum += (samples[j]! / 32768) ** 2
    windows.push(Math.sqrt(sum / size))
  }
  return windows
}

/** Video frame count (by demuxing), and video/audio stream durations. */
export async function streamFacts(
  file: string,
): Promise<{ frames: number; video: number; audio?: number; info: MediaInfo }> {
  const info = await probeMedia(file)
  const frames = await countFrames(file)
  return {
    frames,
    video: info.video?.duration ?? Number.NaN,
    ...(info.audio?.duration !== undefined && { audio: info.audio.duration }),
    info,
  }
}

/**
 * The Y plane of every frame of `file` (a clip or an image), optionally cropped, scaled to `width`x`height` (default 64x36):
 * enough detail to tell two pictures apart, small enough to compare byte by byte.
 */
export async function lumaPlanes(
  file: string,
  dir: string,
  options: { crop?: { x: number; y: number; w: number; h: number }; width?: number; height?: number } = {},
): Promise<Uint8Array[]> {
  const { crop, width = 64, height = 36 } = options
  const raw = join(dir, `planes-${Math.random().toString(36).slice(2)}.raw`)
  const vf = `${crop ? `crop=${crop.w}:${crop.h}:${crop.x}:${crop.y},` : ''}scale=${width}:${height}:flags=area`
  await runFfmpeg([
    '-y',
    '-i',
    file,
    '-map',
    '0:v:0',
    '-vsync',
    'passthrough',
    '-vf',
    vf,
    '-f',
    'rawvideo',
    '-pix_fmt',
    'gray',
    raw,
  ])
  const bytes = new Uint8Array(await readFile(raw))
  await rm(raw)
  const planeSize = width * height
  const planes: Uint8Array[] = []
  for (let i = 0; i + planeSize <= bytes.length; i += planeSize) planes.push(bytes.subarray(i, i + planeSize))
  return planes
}

/** Mean absolute difference (0–255) between two luma planes of the same size. */
export function meanDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length || a.length === 0)
    throw new Error(`planes differ in size: ${a.length} vs ${b.length}`)
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!)
  return sum / a.length
}

/** PSNR (dB, average of Y/U/V as ffmpeg's psnr filter weighs them) of every frame of `a` against the same frame of `b`; Infinity where identical. */
export async function psnrPerFrame(a: string, b: string, dir: string): Promise<number[]> {
  const stats = join(dir, `psnr-${Math.random().toString(36).slice(2)}.log`)
  await runFfmpeg(['-i', a, '-i', b, '-lavfi', `[0:v][1:v]psnr=stats_file=${stats}`, '-f', 'null', '-'])
  const lines = (await readFile(stats, 'utf8')).trim().split('\n')
  await rm(stats)
  return lines.map((line) => {
    const value = /psnr_avg:(\S+)/.exec(line)?.[1]
    return value === 'inf' ? Number.POSITIVE_INFINITY : Number(value)
  })
}
