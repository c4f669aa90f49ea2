import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { OutputSpec } from '@storyreel/core'
import { expect, test } from 'vitest'
import { assembleReel, countFrames, mezzanineVideoArgs, type ReelSegment, runFfmpeg } from '../src/index.ts'
import { makeClip, psnrPerFrame, streamFacts, tempDir } from './helpers.ts'

const CUT = { type: 'cut', duration: 0 } as const
const output = (file: string): OutputSpec => ({
  file,
  width: 320,
  height: 180,
  fps: 24,
  fit: 'contain',
  transition: CUT,
})

/** Four shots: a crossfade into a chained shot, a cut into a trim that starts between keyframes, a fade through black into another size. */
async function shots(dir: string, withAudio = true): Promise<ReelSegment[]> {
  const [a, b, c, d] = await Promise.all([
    makeClip(join(dir, 'a.mp4'), {
      width: 320,
      height: 180,
      frames: 60,
      ...(withAudio && { audioSeconds: 3 }),
    }),
    makeClip(join(dir, 'b.mp4'), { width: 320, height: 180, frames: 48, lumaBase: 30, lumaStep: 3 }),
    makeClip(join(dir, 'c.mp4'), {
      width: 320,
      height: 180,
      frames: 72,
      ...(withAudio && { audioSeconds: 1 }),
    }),
    makeClip(join(dir, 'd.mp4'), {
      width: 176,
      height: 144,
      fps: 25,
      frames: 50,
      lumaBase: 200,
      lumaStep: -2,
    }),
  ])
  return [
    { file: a, id: 'a', seam: false },
    { file: b, id: 'b', seam: true, transition: { type: 'crossfade', duration: 0.5 } },
    { file: c, id: 'c', seam: false, trim: { start: 0.3, end: 2.5 }, transition: CUT },
    { file: d, id: 'd', seam: false, transition: { type: 'fade-black', duration: 0.4 } },
  ]
}

// Silent clips: the join copies a silent track; with audio, the reel's audio encoded beside the pieces. Both joins are written in JS (joinMp4).
test.each(['clips with audio', 'silent clips'])(
  'a smart-rendered reel equals a whole re-encode: same frames, every frame within 40 dB, audio in sync (%s)',
  // Two reels, a whole re-encode and a PSNR pass: 6 s on an idle machine, five times that under load.
  { timeout: 120_000 },
  async (variant) => {
    const dir = await tempDir()
    const segments = await shots(dir, variant === 'clips with audio')
    const work = join(dir, 'work')
    const smart = await assembleReel({ segments, output: output(join(dir, 'smart.mp4')), workDir: work })
    const whole = await assembleReel({
      segments,
      output: output(join(dir, 'whole.mp4')),
      workDir: work,
      reencode: 'all',
    })
    expect(smart.method).toBe('smart')
    expect(whole.method).toBe('transitions')
    // 60 + (48 − 1 seam − 12 crossfade) + (60 − 7 trimmed) + 50 at 24 fps (48 frames).
    expect(smart.frames).toBe(60 + 35 + 53 + 48)
    expect(await countFrames(smart.file)).toBe(smart.frames)
    expect(await countFrames(whole.file)).toBe(smart.frames)
    // Only the transitions and the trimmed start were encoded again; the bodies were copied.
    expect(smart.reencodedFrames).toBeGreaterThan(0)
    expect(smart.reencodedFrames).toBeLessThan(smart.frames / 3)

    const psnr = await psnrPerFrame(smart.file, whole.file, dir)
    expect(psnr).toHaveLength(smart.frames)
    expect(Math.min(...psnr)).toBeGreaterThanOrEqual(40)
    for (const file of [smart.file, whole.file]) {
      const facts = await streamFacts(file)
      expect(facts.info.audio).toMatchObject({ codec: 'aac', sampleRate: 48000, channels: 2 })
      expect(Math.abs(facts.audio! - facts.video)).toBeLessThanOrEqual(1 / 24)
    }
    // The index comes before the samples (what +faststart does), so players can start before the whole file arrives.
    const head = await readFile(smart.file)
    expect(head.toString('latin1', 4, 8)).toBe('ftyp')
    expect(head.toString('latin1', head.readUInt32BE(0) + 4, head.readUInt32BE(0) + 8)).toBe('moov')
    // Written by joinMp4, not ffmpeg (whose muxer tags the file with its name, Lavf).
    expect(head.includes('Lavf')).toBe(false)
  },
)

test('after a transition or a trim changes, only its piece is encoded again', async () => {
  const dir = await tempDir()
  const segments = await shots(dir)
  const work = join(dir, 'work')
  const first = await assembleReel({ segments, output: output(join(dir, '1.mp4')), workDir: work })
  expect(first.segments.every((s) => !s.cached)).toBe(true)

  const again = await assembleReel({ segments, output: output(join(dir, '2.mp4')), workDir: work })
  expect(again.segments.every((s) => s.cached)).toBe(true)
  expect(again.reencodedFrames).toBe(0)

  const crossfade = segments.map((s) =>
    s.id === 'd' ? { ...s, transition: { type: 'crossfade', duration: 0.25 } as const } : s,
  )
  const changed = await assembleReel({
    segments: crossfade,
    output: output(join(dir, '3.mp4')),
    workDir: work,
  })
  expect(changed.frames).toBe(first.frames - 6)
  expect(await countFrames(changed.file)).toBe(changed.frames)
  // The 6 blended frames and at most a keyframe interval (12 frames at 24 fps) of d after them.
  expect(changed.reencodedFrames).toBeGreaterThanOrEqual(6)
  expect(changed.reencodedFrames).toBeLessThanOrEqual(6 + 12)

  const trimmed = crossfade.map((s) => (s.id === 'c' ? { ...s, trim: { start: 0.5, end: 2.5 } } : s))
  const retrimmed = await assembleReel({
    segments: trimmed,
    output: output(join(dir, '4.mp4')),
    workDir: work,
  })
  expect(retrimmed.frames).toBe(changed.frames - 5)
  expect(await countFrames(retrimmed.file)).toBe(retrimmed.frames)
  expect(retrimmed.reencodedFrames).toBeLessThan(12)
})

test('a clip written in the mezzanine format is copied as it is, not normalized', async () => {
  const dir = await tempDir()
  const work = join(dir, 'work')
  // As the animatic can write its clips: on the canvas, with the mezzanine encoder's settings and keyframes.
  const ready = join(dir, 'ready.mp4')
  await runFfmpeg([
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=s=320x180:r=24,trim=end_frame=48',
    ...mezzanineVideoArgs({ fps: 24 }, { keyframes: true }),
    ready,
  ])
  const other = await makeClip(join(dir, 'other.mp4'), { width: 176, height: 144, frames: 48 })
  const result = await assembleReel({
    segments: [
      { file: ready, id: 'ready', seam: false },
      { file: other, id: 'other', seam: false, transition: { type: 'crossfade', duration: 0.25 } },
    ],
    output: output(join(dir, 'reel.mp4')),
    workDir: work,
  })
  expect(result).toMatchObject({ method: 'smart', frames: 90 })
  expect((await readdir(work)).filter((f) => f.startsWith('mezzanine-'))).toHaveLength(1)
  // Its frames before the crossfade are the clip's own, bit for bit.
  const psnr = await psnrPerFrame(result.file, ready, dir)
  expect(psnr.slice(0, 42).every((p) => p === Number.POSITIVE_INFINITY)).toBe(true)
})
