import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { FFMPEG, FFPROBE } from '@storyreel/test-utils'

const run = promisify(execFile)

export interface Probe {
  readonly duration: number
  readonly videoDuration?: number
  readonly width?: number
  readonly height?: number
  readonly frames?: number
}

export async function probe(file: string): Promise<Probe> {
  const { stdout } = await run(FFPROBE, [
    '-v',
    'error',
    '-count_packets',
    '-show_entries',
    'format=duration:stream=codec_type,duration,width,height,nb_read_packets',
    '-of',
    'json',
    file,
  ])
  const info = JSON.parse(stdout) as {
    format: { duration: string }
    streams: {
      codec_type: string
      duration?: string
      width?: number
      height?: number
      nb_read_packets?: string
    }[]
  }
  const video = info.streams.find((s) => s.codec_type === 'video')
  return {
    duration: Number(info.format.duration),
    ...(video?.duration ? { videoDuration: Number(video.duration) } : {}),
    ...(video?.width ? { width: video.width, height: video.height } : {}),
    ...(video?.nb_read_packets ? { frames: Number(video.nb_read_packets) } : {}),
  }
}

/** Decodes an image (or a video's frame at `select`) to raw RGB24 at a fixed size, for comparing pixels. */
export async function rgb(
  file: string,
  size: { width: number; height: number },
  frame: 'first' | 'last' | 'image' = 'image',
): Promise<Buffer> {
  const input = frame === 'last' ? ['-sseof', '-1', '-i', file] : ['-i', file]
  const { stdout } = await run(
    FFMPEG,
    [
      '-v',
      'error',
      ...input,
      '-sws_flags',
      'area+accurate_rnd+full_chroma_int',
      '-vf',
      `scale=${size.width}:${size.height}`,
      ...(frame === 'last' ? ['-update', '1'] : ['-frames:v', '1']),
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  )
  // With `-update 1` to a pipe every decoded frame is written; the last one is what we want.
  const frameBytes = size.width * size.height * 3
  return frame === 'last' ? stdout.subarray(stdout.length - frameBytes) : stdout.subarray(0, frameBytes)
}

/** Mean absolute difference per channel, 0..255. */
export function meanDifference(a: Buffer, b: Buffer): number {
  if (a.length !== b.length) throw new Error(`pixel buffers differ in size: ${a.length} vs ${b.length}`)
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!)
  return sum / a.length
}
