import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { OutputSpec } from '@storyreel/core'
import { expect, test } from 'vitest'
import {
  assembleReel,
  countFrames,
  openReel,
  type ReelProgress,
  type ReelShot,
  runFfmpeg,
} from '../src/index.ts'
import { audioRms, lumaSeries, makeClip, streamFacts, tempDir } from './helpers.ts'

const crossfade = { type: 'crossfade', duration: 0.25 } as const
// No size or rate: the canvas comes from the first segment's clip.
const output = (file: string): OutputSpec => ({ file, fit: 'contain', transition: crossfade })
const shots: ReelShot[] = ['a', 'b', 'c'].map((id) => ({ id, seam: false }))
const files = (dir: string): Promise<string[]> =>
  readdir(dir).then((names) => names.filter((n) => n.endsWith('.mov')).sort())

test('clips landing out of order are normalized and joined in the background; finishing only writes the reel', async () => {
  const dir = await tempDir()
  const work = join(dir, 'work')
  const [a, b, c] = await Promise.all(
    [40, 120, 200].map((luma, i) =>
      makeClip(join(dir, `${i}.mp4`), {
        width: 128,
        height: 72,
        frames: 36,
        luma,
        ...(i === 1 && { audioSeconds: 1 }),
      }),
    ),
  )
  const reel = openReel({ segments: shots, output: output(join(dir, 'reel.mp4')), workDir: work })
  reel.clipLanded('c', c!)
  reel.clipLanded('b', b!)
  await reel.idle()
  // The canvas is not known until the first segment's clip lands, so nothing was made yet.
  expect(await files(work).catch(() => [])).toEqual([])

  reel.clipLanded('a', a!)
  await reel.idle()
  const made = await files(work)
  expect(made.filter((f) => f.startsWith('mezzanine-'))).toHaveLength(3)
  expect(made.filter((f) => f.startsWith('piece-'))).toHaveLength(2)

  const progress: ReelProgress[] = []
  const result = await reel.finish({ onProgress: (p) => progress.push(p) })
  await reel.close()
  expect(result).toMatchObject({
    method: 'smart',
    frames: 36 * 3 - 2 * 6,
    reencodedFrames: 0,
    canvas: { width: 128, height: 72, fps: 24 },
  })
  expect(new Set(progress.map((p) => p.stage))).toEqual(new Set(['normalize', 'transitions', 'join']))
  expect(progress.at(-1)).toMatchObject({ stage: 'join' })
  expect(progress.at(-1)!.fraction).toBeGreaterThan(0.9)
  const facts = await streamFacts(result.file)
  expect(facts.frames).toBe(96)
  expect(Math.abs(facts.audio! - facts.video)).toBeLessThanOrEqual(1 / 24)
  const luma = await lumaSeries(result.file, dir)
  expect(luma[20]).toBeCloseTo(40, -0.5)
  expect(luma[50]).toBeCloseTo(120, -0.5)
  expect(luma[90]).toBeCloseTo(200, -0.5)
})

test('with silent clips the soundtrack is measured and encoded in the background once the length is known, and the join copies it', async () => {
  const dir = await tempDir()
  const work = join(dir, 'work')
  const [a, b, c] = await Promise.all(
    [40, 120, 200].map((luma, i) =>
      makeClip(join(dir, `${i}.mp4`), { width: 128, height: 72, frames: 36, luma }),
    ),
  )
  const music = join(dir, 'music.wav')
  await runFfmpeg(['-y', '-f', 'lavfi', '-i', 'sine=f=330:r=44100:d=0.7,volume=0.05', music])
  const audio = { file: music, fadeOut: 1, loudness: -14 }
  const soundtrackFiles = (): Promise<string[]> =>
    readdir(work).then((names) => names.filter((n) => /^(soundtrack-.*\.m4a|loudness-.*\.json)$/.test(n)))
  const reel = openReel({
    segments: shots,
    output: { ...output(join(dir, 'reel.mp4')), audio },
    workDir: work,
  })
  reel.clipLanded('a', a!)
  reel.clipLanded('b', b!)
  await reel.idle()
  // c's length is not known yet, so neither is the reel's.
  expect(await soundtrackFiles()).toEqual([])
  reel.clipLanded('c', c!)
  await reel.idle()
  expect((await soundtrackFiles()).map((n) => n.split('-')[0]).sort()).toEqual(['loudness', 'soundtrack'])

  const result = await reel.finish()
  await reel.close()
  expect(result).toMatchObject({ method: 'smart', frames: 96, reencodedFrames: 0 })
  expect(Number(result.soundtrackLoudness?.input_i)).toBeLessThan(-20)
  const facts = await streamFacts(result.file)
  expect(facts.info.audio).toMatchObject({ codec: 'aac', sampleRate: 48000, channels: 2 })
  expect(Math.abs(facts.audio! - facts.video)).toBeLessThanOrEqual(1 / 24)
  // The same soundtrack as a whole re-encode mixes and normalizes it in its own graph.
  const whole = await assembleReel({
    segments: shots.map((s, i) => ({ ...s, file: [a, b, c][i]! })),
    output: { ...output(join(dir, 'whole.mp4')), audio },
    workDir: work,
    reencode: 'all',
  })
  const [smartRms, wholeRms] = await Promise.all([audioRms(result.file, dir), audioRms(whole.file, dir)])
  expect(smartRms[10]).toBeGreaterThan(0.1)
  expect(smartRms).toHaveLength(wholeRms.length)
  smartRms.forEach((rms, i) => expect(Math.abs(rms - wholeRms[i]!)).toBeLessThan(0.01))
})

test("with every clip's length expected, the soundtrack is made before any clip lands", async () => {
  const dir = await tempDir()
  const work = join(dir, 'work')
  const music = join(dir, 'music.wav')
  await runFfmpeg(['-y', '-f', 'lavfi', '-i', 'sine=f=330:r=44100:d=0.7,volume=0.05', music])
  const tracks = (): Promise<string[]> =>
    readdir(work).then((names) => names.filter((n) => n.startsWith('soundtrack-')))
  const reel = openReel({
    segments: shots.map((s) => ({ ...s, expectedSeconds: 1.5 })),
    output: {
      ...output(join(dir, 'reel.mp4')),
      width: 128,
      height: 72,
      fps: 24,
      audio: { file: music, fadeOut: 1, loudness: -14 },
    },
    workDir: work,
  })
  await reel.idle()
  const made = await tracks()
  expect(made).toHaveLength(1)
  const clips = await Promise.all(
    [40, 120, 200].map((luma, i) =>
      makeClip(join(dir, `${i}.mp4`), { width: 128, height: 72, frames: 36, luma }),
    ),
  )
  shots.forEach((s, i) => reel.clipLanded(s.id, clips[i]!))
  await reel.idle()
  // The clips are as long as expected: the track made first is the reel's, nothing else was made.
  expect(await tracks()).toEqual(made)
  const result = await reel.finish()
  await reel.close()
  expect(result.frames).toBe(96)
  const facts = await streamFacts(result.file)
  expect(Math.abs(facts.audio! - facts.video)).toBeLessThanOrEqual(1 / 24)
})

test("with every clip's length expected and no soundtrack, the silence under the reel is made before any clip lands", async () => {
  const dir = await tempDir()
  const work = join(dir, 'work')
  const silence = (): Promise<string[]> =>
    readdir(work).then((names) => names.filter((n) => n.startsWith('silence-')))
  const reel = openReel({
    segments: shots.map((s) => ({ ...s, expectedSeconds: 1.5 })),
    output: { ...output(join(dir, 'reel.mp4')), width: 128, height: 72, fps: 24 },
    workDir: work,
  })
  await reel.idle()
  const made = await silence()
  expect(made).toEqual(['silence-1m.m4a'])
  const clips = await Promise.all(
    [40, 120, 200].map((luma, i) =>
      makeClip(join(dir, `${i}.mp4`), { width: 128, height: 72, frames: 36, luma }),
    ),
  )
  shots.forEach((s, i) => reel.clipLanded(s.id, clips[i]!))
  const result = await reel.finish()
  await reel.close()
  // The join copied the silence made first: the reel has its audio, and no other silence was made.
  expect(await silence()).toEqual(made)
  const facts = await streamFacts(result.file)
  expect(facts.audio).toBeDefined()
  expect(Math.abs(facts.audio! - facts.video)).toBeLessThanOrEqual(1 / 24)
})

test('a clip that lands again replaces the first one, and a missing clip is a clear error', async () => {
  const dir = await tempDir()
  const work = join(dir, 'work')
  const [a, b, b2] = await Promise.all([
    makeClip(join(dir, 'a.mp4'), { width: 128, height: 72, frames: 24, luma: 40 }),
    makeClip(join(dir, 'b.mp4'), { width: 128, height: 72, frames: 24, luma: 120 }),
    makeClip(join(dir, 'b2.mp4'), { width: 128, height: 72, frames: 48, luma: 200 }),
  ])
  const reel = openReel({ segments: shots, output: output(join(dir, 'reel.mp4')), workDir: work })
  expect(() => reel.clipLanded('nope', a!)).toThrow(/no segment nope/)
  reel.clipLanded('a', a!)
  reel.clipLanded('b', b!)
  await expect(reel.finish()).rejects.toMatchObject({
    code: 'ASM_BAD_INPUT',
    message: expect.stringMatching(/No clip for shot c/),
  })
  reel.clipLanded('b', b2!)
  reel.clipLanded('c', a!)
  const result = await reel.finish()
  await reel.close()
  expect(result.segments.map((s) => s.frames)).toEqual([24, 48, 24])
  expect(await countFrames(result.file)).toBe(24 + 48 + 24 - 2 * 6)
})

test('closing stops the background ffmpeg and leaves no partial files', async () => {
  const dir = await tempDir()
  const work = join(dir, 'work')
  const a = await makeClip(join(dir, 'a.mp4'), { width: 320, height: 180, frames: 120 })
  const reel = openReel({
    segments: [{ id: 'a', seam: false }],
    output: { ...output(join(dir, 'reel.mp4')), width: 1280, height: 720, fps: 24 },
    workDir: work,
  })
  reel.clipLanded('a', a)
  await new Promise((wake) => setTimeout(wake, 300))
  await reel.close()
  expect((await readdir(work)).filter((f) => !f.startsWith('ffmpeg-caps-'))).toEqual([])
  await expect(reel.finish()).rejects.toThrow(/closed/)
})
