import { readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { needs, SYSTEM_FFMPEG } from '@storyreel/test-utils'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  assembleReel,
  countFrames,
  extractFrames,
  locateFfmpeg,
  missingFeatures,
  probeMedia,
  renderMotionClip,
  runFfmpeg,
  verifyClip,
} from '../src/index.ts'
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
    for (const [name, value] of [
      ['FFMPEG_PATH', saved.ffmpeg],
      ['FFPROBE_PATH', saved.ffprobe],
    ] as const) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  })

  test('is located from the environment and lacks xfade', async () => {
    const found = await locateFfmpeg()
    expect(found).toMatchObject({ ffmpeg: npmFfmpeg, ffmpegSource: 'env', ffprobe: npmFfprobe })
    expect(found.filters.has('xfade')).toBe(false)
    expect(found.filters.has('loudnorm')).toBe(true)
    expect(missingFeatures(found)).toEqual({
      reel: [],
      crossfade: [],
      'fade-black': [],
      soundtrack: [],
      animatic: [],
      'contact-sheet': [],
    })
  })

  test('extracts the first and the exact last frame', async () => {
    const dir = await tempDir()
    const clip = await makeClip(join(dir, 'idx.mp4'), {
      width: 64,
      height: 36,
      fps: 25,
      frames: 40,
      lumaStep: 4,
      audioSeconds: 4,
    })
    expect((await probeMedia(clip)).video?.frames).toBe(40)
    const frames = { first: join(dir, 'first.png'), last: join(dir, 'last.png') }
    await extractFrames(clip, frames)
    const [first] = await lumaSeries(frames.first, dir)
    const [last] = await lumaSeries(frames.last, dir)
    const series = await lumaSeries(clip, dir)
    expect(Math.abs(first! - series[0]!)).toBeLessThan(1.5)
    expect(Math.abs(last! - series[39]!)).toBeLessThan(1.5)
  })

  test('verifies clips: a good one passes, a damaged one of the same size does not', async () => {
    const dir = await tempDir()
    const good = await makeClip(join(dir, 'good.mp4'), { width: 160, height: 90, fps: 24, frames: 48 })
    await expect(
      verifyClip(good, { expectedDuration: 2, frames: { last: join(dir, 'last.png') } }),
    ).resolves.toMatchObject({ duration: 2 })
    const bytes = await readFile(good)
    const from = Math.floor(bytes.length / 2)
    for (let i = from; i < from + 8192; i++) bytes[i] = bytes[i]! ^ 0xff
    await writeFile(join(dir, 'damaged.mp4'), bytes)
    await expect(verifyClip(join(dir, 'damaged.mp4'), { expectedDuration: 2 })).rejects.toMatchObject({
      code: 'ASM_CLIP_INVALID',
      problem: 'undecodable',
    })
  })

  test('normalizes and joins with cuts and a seam, to the frame', async () => {
    const dir = await tempDir()
    const a = await makeClip(join(dir, 'a.mp4'), {
      width: 176,
      height: 144,
      fps: 30,
      frames: 30,
      audioSeconds: 2,
    })
    const b = await makeClip(join(dir, 'b.mp4'), { frames: 24 })
    const out = join(dir, 'reel.mp4')
    const result = await assembleReel({
      segments: [
        { file: a, id: 'a', seam: false },
        { file: b, id: 'b', seam: true },
      ],
      output: {
        file: out,
        width: 160,
        height: 90,
        fps: 24,
        fit: 'cover',
        transition: { type: 'cut', duration: 0 },
      },
      workDir: join(dir, 'work'),
    })
    expect(result.method).toBe('concat')
    const facts = await streamFacts(out)
    expect(facts.frames).toBe(24 + 23)
    expect(Math.abs(facts.audio! - facts.video)).toBeLessThanOrEqual(1024 / 48000)
  })

  // Four clips: a crossfades into b over 12 frames, a cut to c, d crossfades in over 6.
  async function crossfadeReel(dir: string, name: string) {
    const [a, b, c, d] = await Promise.all([
      makeClip(join(dir, `${name}-a.mp4`), { frames: 48, luma: 40 }),
      makeClip(join(dir, `${name}-b.mp4`), { frames: 48, luma: 200, audioSeconds: 2 }),
      makeClip(join(dir, `${name}-c.mp4`), { frames: 24, luma: 120 }),
      makeClip(join(dir, `${name}-d.mp4`), { frames: 24, luma: 40 }),
    ])
    const crossfade = (duration: number) => ({ type: 'crossfade', duration }) as const
    return assembleReel({
      segments: [
        { file: a, id: 'a', seam: false },
        { file: b, id: 'b', seam: false, transition: crossfade(0.5) },
        { file: c, id: 'c', seam: false },
        { file: d, id: 'd', seam: false, transition: crossfade(0.25) },
      ],
      output: {
        file: join(dir, `${name}.mp4`),
        width: 64,
        height: 36,
        fps: 24,
        fit: 'contain',
        transition: { type: 'cut', duration: 0 },
      },
      workDir: join(dir, `work-${name}`),
    })
  }

  test('crossfades without xfade: every transition frame a blend', async () => {
    const dir = await tempDir()
    const npm = await crossfadeReel(dir, 'npm')
    // 48 + 48 − 12, a cut to c (24), then d crossfades in over 6 frames.
    expect(npm).toMatchObject({ method: 'smart', frames: 126 })
    const facts = await streamFacts(npm.file)
    expect(facts.frames).toBe(126)
    expect(Math.abs(facts.audio! - facts.video)).toBeLessThanOrEqual(1024 / 48000)

    const luma = await lumaSeries(npm.file, dir)
    // a until frame 35, then 12 frames each brighter than the last and between a and b, then b.
    expect(luma[35]).toBeCloseTo(luma[0]!, 0)
    const ramp = luma.slice(36, 48)
    for (let k = 0; k < ramp.length; k++)
      expect(ramp[k]).toBeGreaterThan(k === 0 ? luma[35]! + 0.5 : ramp[k - 1]! + 3)
    expect(ramp.at(-1)).toBeLessThan(luma[48]! - 3)
    // Mid-crossfade it is half of each, as xfade makes it.
    expect(luma[42]).toBeGreaterThan(100)
    expect(luma[42]).toBeLessThan(140)
    // The hard cut to c lands on frame 84, and d's crossfade starts at 108 − 6.
    expect(luma[83]).toBeGreaterThan(180)
    expect(luma[101]).toBeCloseTo(luma[84]!, 0)
    expect(luma[102]).toBeLessThan(luma[101]! - 3)
    expect(luma[104]).toBeGreaterThan(luma[125]! + 20)
    expect(luma[104]).toBeLessThan(luma[84]! - 20)
    expect(luma[107]).toBeGreaterThan(luma[125]! + 2)
    expect(luma[108]).toBeCloseTo(luma[125]!, 0)
  })

  // A machine with only the npm build has nothing to compare it with.
  const system = needs('ffmpeg on PATH', SYSTEM_FFMPEG, 'apt-get install ffmpeg')
  test.skipIf(system.skip)(
    system.title('crossfades: the same frames as with the system ffmpeg'),
    // Two reels and three luma passes, on a shared machine.
    { timeout: 120_000 },
    async () => {
      const dir = await tempDir()
      const npm = await crossfadeReel(dir, 'npm')
      const reference = await withSystemFfmpeg(() => crossfadeReel(dir, 'system'))
      expect(reference.frames).toBe(126)
      expect((await streamFacts(npm.file)).frames).toBe(126)
      expect(await withSystemFfmpeg(() => countFrames(reference.file))).toBe(126)
      const luma = await lumaSeries(npm.file, dir)
      const systemLuma = await withSystemFfmpeg(() => lumaSeries(reference.file, dir))
      expect(Math.abs(luma[42]! - systemLuma[42]!)).toBeLessThan(4)
      expect(luma[84]).toBeCloseTo(systemLuma[84]!, -0.5)
    },
  )

  test('renders an animatic card, and a zoom over an image', async () => {
    const dir = await tempDir()
    const out = join(dir, 'card.mp4')
    await renderMotionClip({
      prompt: 'a card',
      label: 'ANIMATIC · x',
      duration: 1,
      fps: 24,
      width: 160,
      height: 90,
      out,
    })
    expect(await countFrames(out)).toBe(24)
    const start = join(dir, 'start.png')
    await runFfmpeg(['-y', '-f', 'lavfi', '-i', 'testsrc2=s=320x180', '-frames:v', '1', start])
    await renderMotionClip({
      start,
      move: 'push-in',
      duration: 1,
      fps: 24,
      width: 160,
      height: 90,
      out: join(dir, 'zoom.mp4'),
    })
    expect(await countFrames(join(dir, 'zoom.mp4'))).toBe(24)
  })
})

/** Runs `fn` with FFMPEG_PATH/FFPROBE_PATH unset, so the system ffmpeg on PATH is used. */
async function withSystemFfmpeg<T>(fn: () => Promise<T>): Promise<T> {
  const saved = { ffmpeg: process.env.FFMPEG_PATH, ffprobe: process.env.FFPROBE_PATH }
  delete process.env.FFMPEG_PATH
  delete process.env.FFPROBE_PATH
  try {
    return await fn()
  } finally {
    if (saved.ffmpeg !== undefined) process.env.FFMPEG_PATH = saved.ffmpeg
    if (saved.ffprobe !== undefined) process.env.FFPROBE_PATH = saved.ffprobe
  }
}

test('without FFMPEG_PATH and with no ffmpeg on PATH, the npm-shipped build is used', async () => {
  const saved = { path: process.env.PATH, ffmpeg: process.env.FFMPEG_PATH, ffprobe: process.env.FFPROBE_PATH }
  const emptyDir = await tempDir()
  process.env.PATH = emptyDir
  delete process.env.FFMPEG_PATH
  delete process.env.FFPROBE_PATH
  try {
    expect(await locateFfmpeg()).toMatchObject({
      ffmpeg: npmFfmpeg,
      ffmpegSource: 'npm',
      ffprobe: npmFfprobe,
      ffprobeSource: 'npm',
    })
  } finally {
    process.env.PATH = saved.path
    if (saved.ffmpeg !== undefined) process.env.FFMPEG_PATH = saved.ffmpeg
    if (saved.ffprobe !== undefined) process.env.FFPROBE_PATH = saved.ffprobe
  }
})
