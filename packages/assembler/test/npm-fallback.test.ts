import { createRequire } from 'node:module'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { assembleReel, countFrames, extractLastFrame, locateFfmpeg, missingFeatures, probeMedia, renderMotionClip } from '../src/index.ts'
import { lumaSeries, makeClip, streamFacts, tempDir } from './helpers.ts'

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
    const missing = missingFeatures(found)
    expect(missing.crossfade).toEqual(['xfade'])
    expect({ ...missing, crossfade: [] }).toEqual({ reel: [], crossfade: [], 'fade-black': [], soundtrack: [], animatic: [], 'contact-sheet': [] })
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

  test('normalizes and joins with cuts and a seam, to the frame', async () => {
    const dir = await tempDir()
    const a = await makeClip(join(dir, 'a.mp4'), { width: 176, height: 144, fps: 30, frames: 30, audioSeconds: 2 })
    const b = await makeClip(join(dir, 'b.mp4'), { frames: 24 })
    const out = join(dir, 'reel.mp4')
    const result = await assembleReel({
      segments: [
        { file: a, id: 'a', seam: false },
        { file: b, id: 'b', seam: true },
      ],
      output: { file: out, width: 160, height: 90, fps: 24, fit: 'cover', transition: { type: 'cut', duration: 0 } },
      workDir: join(dir, 'work'),
    })
    expect(result.method).toBe('concat')
    const facts = await streamFacts(out)
    expect(facts.frames).toBe(24 + 23)
    expect(Math.abs(facts.audio! - facts.video)).toBeLessThanOrEqual(1024 / 48000)
  })

  test('a crossfade fails with a typed error naming xfade and how to get a newer ffmpeg', async () => {
    const dir = await tempDir()
    const a = await makeClip(join(dir, 'a.mp4'), { frames: 24 })
    const error = await assembleReel({
      segments: [
        { file: a, id: 'a', seam: false },
        { file: a, id: 'b', seam: false, transition: { type: 'crossfade', duration: 0.25 } },
      ],
      output: { file: join(dir, 'reel.mp4'), fit: 'contain', transition: { type: 'cut', duration: 0 } },
      workDir: join(dir, 'work'),
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'FFMPEG_MISSING_FILTER', missing: ['xfade'] })
    expect((error as Error).message).toMatch(/xfade.*apt-get install ffmpeg.*FFMPEG_PATH/s)
  })

  test('renders an animatic card', async () => {
    const dir = await tempDir()
    const out = join(dir, 'card.mp4')
    await renderMotionClip({ prompt: 'a card', label: 'ANIMATIC · x', duration: 1, fps: 24, width: 160, height: 90, out })
    expect(await countFrames(out)).toBe(24)
  })
})

test('without FFMPEG_PATH and with no ffmpeg on PATH, the npm-shipped build is used', async () => {
  const saved = { path: process.env.PATH, ffmpeg: process.env.FFMPEG_PATH, ffprobe: process.env.FFPROBE_PATH }
  const emptyDir = await tempDir()
  process.env.PATH = emptyDir
  delete process.env.FFMPEG_PATH
  delete process.env.FFPROBE_PATH
  try {
    expect(await locateFfmpeg()).toMatchObject({ ffmpeg: npmFfmpeg, ffmpegSource: 'npm', ffprobe: npmFfprobe, ffprobeSource: 'npm' })
  } finally {
    process.env.PATH = saved.path
    if (saved.ffmpeg !== undefined) process.env.FFMPEG_PATH = saved.ffmpeg
    if (saved.ffprobe !== undefined) process.env.FFPROBE_PATH = saved.ffprobe
  }
})

