import { createRequire } from 'node:module'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { extractLastFrame, locateFfmpeg, probeMedia } from '../src/index.ts'
import { lumaSeries, makeClip, tempDir } from './helpers.ts'

const require = createRequire(import.meta.url)
const npmFfmpeg = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path
const npmFfprobe = (require('@ffprobe-installer/ffprobe') as { path: string }).path

// The 2018 static build that `pnpm install` ships, for machines without ffmpeg.
describe('with the npm-shipped ffmpeg (FFMPEG_PATH/FFPROBE_PATH)', () => {
  const saved = { ffmpeg: process.env.FFMPEG_PATH, ffprobe: process.env.FFPROBE_PATH }
  beforeAll(() => {
    process.env.FFMPEG_PATH = npmFfmpeg
    process.env.FFPROBE_PATH = npmFfprobe
  })
  afterAll(() => {
    for (const [name, value] of [['FFMPEG_PATH', saved.ffmpeg], ['FFPROBE_PATH', saved.ffprobe]] as const) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  })

  test('is located from the environment and lacks xfade', async () => {
    const found = await locateFfmpeg()
    expect(found).toMatchObject({ ffmpeg: npmFfmpeg, ffmpegSource: 'env', ffprobe: npmFfprobe })
    expect(found.filters.has('xfade')).toBe(false)
    expect(found.filters.has('loudnorm')).toBe(true)
  })

  test('extracts the exact last frame', async () => {
    const dir = await tempDir()
    const clip = await makeClip(join(dir, 'idx.mp4'), { width: 64, height: 36, fps: 25, frames: 40, lumaStep: 4, audioSeconds: 4 })
    expect((await probeMedia(clip)).video?.frames).toBe(40)
    const png = join(dir, 'last.png')
    await extractLastFrame(clip, png)
    const [luma] = await lumaSeries(png, dir)
    const series = await lumaSeries(clip, dir)
    expect(Math.abs(luma! - series[39]!)).toBeLessThan(1.5)
  })
})
