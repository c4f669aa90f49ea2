import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { FFMPEG } from './tools.ts'

const run = promisify(execFile)

export interface ImageSpec {
  readonly width: number
  readonly height: number
  /** A lavfi source: `testsrc2` (default), `color=c=teal`... */
  readonly source?: string
}

/** A test picture (PNG or JPEG, by the extension of `dest`), made with lavfi so nothing is downloaded. */
export async function makeImage(dest: string, spec: ImageSpec): Promise<string> {
  const source = spec.source ?? 'testsrc2'
  const size = `size=${spec.width}x${spec.height}`
  await run(FFMPEG, [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    source.includes('=') ? `${source}:${size}` : `${source}=${size}`,
    '-frames:v',
    '1',
    dest,
  ])
  return dest
}

/** A 480x320 PNG of one colour in `dir`: a valid start image for Kling (at least 300 px each way). */
export function testCard(dir: string, name = 'card.png', colour = 'teal'): Promise<string> {
  return makeImage(join(dir, name), { width: 480, height: 320, source: `color=c=${colour}` })
}

/** A short H.264 MP4 of a moving test pattern, as a video API would return. */
export async function makeClip(
  dest: string,
  options: { seconds?: number; width?: number; height?: number } = {},
): Promise<string> {
  const { seconds = 1, width = 320, height = 180 } = options
  await run(FFMPEG, [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${width}x${height}:rate=24:duration=${seconds}`,
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
    dest,
  ])
  return dest
}
