import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { OutputSpec } from '@storyreel/core'
import { describe, expect, test } from 'vitest'
import {
  assembleReel,
  countFrames,
  probeMedia,
  type ReelProgress,
  type ReelSegment,
  runFfmpeg,
} from '../src/index.ts'
import { audioRms, lumaSeries, makeClip, streamFacts, tempDir } from './helpers.ts'

const CUT = { type: 'cut', duration: 0 } as const
const AAC_FRAME = 1024 / 48000

function output(file: string, extra: Partial<OutputSpec> = {}): OutputSpec {
  return { file, width: 160, height: 90, fps: 24, fit: 'contain', transition: CUT, ...extra }
}

function segment(file: string, id: string, extra: Partial<ReelSegment> = {}): ReelSegment {
  return { file, id, seam: false, transition: CUT, ...extra }
}

describe('assembleReel', () => {
  test('normalizes mixed sizes, rates and audio into one reel of exactly the summed length', async () => {
    const dir = await tempDir()
    const a = await makeClip(join(dir, 'a.mp4'), { width: 160, height: 90, fps: 24, frames: 48 })
    const b = await makeClip(join(dir, 'b.mp4'), {
      width: 176,
      height: 144,
      fps: 30,
      frames: 60,
      audioSeconds: 1,
    })
    const c = await makeClip(join(dir, 'c.mp4'), {
      width: 120,
      height: 90,
      fps: 25,
      frames: 50,
      audioSeconds: 4,
    })
    const out = join(dir, 'reel.mp4')
    const progress: ReelProgress[] = []
    const result = await assembleReel({
      segments: [segment(a, 'a'), segment(b, 'b'), segment(c, 'c')],
      output: output(out),
      workDir: join(dir, 'work'),
      onProgress: (p) => progress.push(p),
    })
    expect(result.method).toBe('concat')
    expect(progress.filter((p) => p.stage === 'normalize').at(-1)?.fraction).toBe(1)
    expect(progress.at(-1)).toMatchObject({ stage: 'join' })
    expect(progress.at(-1)!.fraction).toBeGreaterThan(0.9)
    expect(result.frames).toBe(144)
    const facts = await streamFacts(out)
    expect(facts.frames).toBe(144)
    expect(facts.video).toBeCloseTo(6, 6)
    expect(Math.abs(facts.audio! - facts.video)).toBeLessThanOrEqual(AAC_FRAME)
    expect(facts.info.video).toMatchObject({
      width: 160,
      height: 90,
      fps: 24,
      pixFmt: 'yuv420p',
      sar: '1:1',
      colorSpace: 'bt709',
    })
    expect(facts.info.audio).toMatchObject({ codec: 'aac', sampleRate: 48000, channels: 2 })
    // Clip b's tone is in the reel where b is, and silence pads the end of its shorter audio.
    const rms = await audioRms(out, dir)
    expect(rms[3]).toBeLessThan(0.001)
    expect(rms[25]).toBeGreaterThan(0.05)
    expect(rms[45]).toBeGreaterThan(0.05)
  })

  test('drops the repeated first frame of a chained shot', async () => {
    const dir = await tempDir()
    // a ends on luma 208; b starts on that same frame and then darkens by 4 per frame.
    const a = await makeClip(join(dir, 'a.mp4'), { frames: 48, lumaBase: 20, lumaStep: 4 })
    const b = await makeClip(join(dir, 'b.mp4'), { frames: 24, lumaBase: 208, lumaStep: -4 })
    const out = join(dir, 'reel.mp4')
    await assembleReel({
      segments: [segment(a, 'a'), segment(b, 'b', { seam: true })],
      output: output(out),
      workDir: join(dir, 'work'),
    })
    expect(await countFrames(out)).toBe(71)
    const luma = await lumaSeries(out, dir)
    expect(luma[47]).toBeCloseTo(208, -0.5)
    expect(luma[48]).toBeCloseTo(204, -0.5)
    const facts = await streamFacts(out)
    expect(Math.abs(facts.audio! - facts.video)).toBeLessThanOrEqual(AAC_FRAME)
  })

  test('trims a segment to the requested seconds', async () => {
    const dir = await tempDir()
    const a = await makeClip(join(dir, 'a.mp4'), { frames: 48, lumaBase: 20, lumaStep: 4 })
    const out = join(dir, 'reel.mp4')
    await assembleReel({
      segments: [segment(a, 'a', { trim: { start: 0.5, end: 1.5 } })],
      output: output(out),
      workDir: join(dir, 'work'),
    })
    const luma = await lumaSeries(out, dir)
    expect(luma).toHaveLength(24)
    expect(luma[0]).toBeCloseTo(20 + 4 * 12, -0.5)
    expect(luma[23]).toBeCloseTo(20 + 4 * 35, -0.5)
  })

  test('crossfades at running length − T and shortens the reel by T', async () => {
    const dir = await tempDir()
    const a = await makeClip(join(dir, 'a.mp4'), { frames: 48, luma: 40 })
    const b = await makeClip(join(dir, 'b.mp4'), { frames: 48, luma: 200, audioSeconds: 2 })
    const out = join(dir, 'reel.mp4')
    const result = await assembleReel({
      segments: [segment(a, 'a'), segment(b, 'b', { transition: { type: 'crossfade', duration: 0.5 } })],
      output: output(out),
      workDir: join(dir, 'work'),
    })
    expect(result.method).toBe('smart')
    const facts = await streamFacts(out)
    expect(facts.frames).toBe(84)
    expect(Math.abs(facts.audio! - facts.video)).toBeLessThanOrEqual(AAC_FRAME)
    const luma = await lumaSeries(out, dir)
    expect(luma[35]).toBeCloseTo(40, -0.5)
    expect(luma[42]).toBeGreaterThan(90)
    expect(luma[42]).toBeLessThan(150)
    expect(luma[48]).toBeCloseTo(200, -0.5)
    // b's tone fades in across the same half second.
    const rms = await audioRms(out, dir)
    expect(rms[10]).toBeLessThan(0.001)
    expect(rms[16]).toBeGreaterThan(0.01)
    expect(rms[16]).toBeLessThan(rms[25]! * 0.9)
  })

  test('chains several crossfades and cuts with each offset at the running length', async () => {
    const dir = await tempDir()
    const clips = await Promise.all(
      [48, 48, 48, 24].map((frames, i) =>
        makeClip(join(dir, `${i}.mp4`), { frames, luma: 40 + 50 * i, ...(i === 1 && { audioSeconds: 3 }) }),
      ),
    )
    const transitions = [
      CUT,
      { type: 'crossfade', duration: 0.5 },
      CUT,
      { type: 'crossfade', duration: 0.25 },
    ] as const
    const out = join(dir, 'reel.mp4')
    const result = await assembleReel({
      segments: clips.map((file, i) => segment(file, `s${i}`, { transition: transitions[i] })),
      output: output(out),
      workDir: join(dir, 'work'),
    })
    const facts = await streamFacts(out)
    expect(result.frames).toBe(150)
    expect(facts.frames).toBe(150)
    expect(facts.video).toBeCloseTo(150 / 24, 6)
    expect(Math.abs(facts.audio! - facts.video)).toBeLessThanOrEqual(AAC_FRAME)
    const luma = await lumaSeries(out, dir)
    // c (luma 140) starts at 84 with a hard cut; d fades in from 84 + 48 − 6 = 126.
    expect(luma[83]).toBeCloseTo(90, -0.5)
    expect(luma[84]).toBeCloseTo(140, -0.5)
    expect(luma[125]).toBeCloseTo(140, -0.5)
    expect(luma[132]).toBeCloseTo(190, -0.5)
  })

  test('a crossfade deep into a long reel still lands on the frame (offsets are not rounded past a frame)', async () => {
    const dir = await tempDir()
    // The storm-at-sea example's shape: the third crossfade starts at frame 442, where an exact offset let one frame slip.
    const lengths = [120, 119, 120, 119, 204]
    const clips = await Promise.all(
      lengths.map((frames, i) =>
        makeClip(join(dir, `${i}.mp4`), { frames, width: 64, height: 36, luma: 40 + 30 * i }),
      ),
    )
    const xf = { type: 'crossfade', duration: 0.5 } as const
    const transitions = [CUT, xf, { type: 'fade-black', duration: 0.8 }, xf, xf] as const
    const out = join(dir, 'reel.mp4')
    const result = await assembleReel({
      segments: clips.map((file, i) => segment(file, `s${i}`, { transition: transitions[i] })),
      output: output(out, { width: 64, height: 36 }),
      workDir: join(dir, 'work'),
    })
    const facts = await streamFacts(out)
    expect(result.frames).toBe(646)
    expect(facts.frames).toBe(646)
    expect(Math.abs(facts.audio! - facts.video)).toBeLessThanOrEqual(AAC_FRAME)
  })

  test('keeps NTSC rates exact (canvas from the first clip, 30000/1001)', async () => {
    const dir = await tempDir()
    const a = await makeClip(join(dir, 'a.mp4'), { frames: 30, fps: '30000/1001', audioSeconds: 0.5 })
    const b = await makeClip(join(dir, 'b.mp4'), { frames: 30, fps: 24 })
    const out = join(dir, 'reel.mp4')
    const result = await assembleReel({
      segments: [segment(a, 'a'), segment(b, 'b', { transition: { type: 'crossfade', duration: 0.2 } })],
      output: { file: out, fit: 'contain', transition: CUT },
      workDir: join(dir, 'work'),
    })
    expect(result.canvas.frameRate).toBe('30000/1001')
    // b's 1.25 s becomes 37 frames at 29.97; the crossfade takes 6.
    const facts = await streamFacts(out)
    expect(facts.frames).toBe(30 + 37 - 6)
    expect(facts.info.video?.frameRate).toBe('30000/1001')
    expect(Math.abs(facts.audio! - facts.video)).toBeLessThanOrEqual(AAC_FRAME)
  })

  test('fades through black around the cut without changing the length', async () => {
    const dir = await tempDir()
    const a = await makeClip(join(dir, 'a.mp4'), { frames: 48, luma: 200 })
    const b = await makeClip(join(dir, 'b.mp4'), { frames: 48, luma: 200 })
    const out = join(dir, 'reel.mp4')
    await assembleReel({
      segments: [segment(a, 'a'), segment(b, 'b', { transition: { type: 'fade-black', duration: 1 } })],
      output: output(out),
      workDir: join(dir, 'work'),
    })
    const luma = await lumaSeries(out, dir)
    expect(luma).toHaveLength(96)
    expect(luma[35]).toBeCloseTo(200, -0.5)
    expect(luma[47]).toBeLessThan(40)
    expect(luma[48]).toBeLessThan(40)
    expect(luma[42]).toBeGreaterThan(60)
    expect(luma[60]).toBeCloseTo(200, -0.5)
  })

  test('clamps a crossfade to half the shorter segment', async () => {
    const dir = await tempDir()
    const a = await makeClip(join(dir, 'a.mp4'), { frames: 48 })
    const b = await makeClip(join(dir, 'b.mp4'), { frames: 12 })
    const out = join(dir, 'reel.mp4')
    const result = await assembleReel({
      segments: [segment(a, 'a'), segment(b, 'b', { transition: { type: 'crossfade', duration: 3 } })],
      output: output(out),
      workDir: join(dir, 'work'),
    })
    expect(result.frames).toBe(54)
    expect(await countFrames(out)).toBe(54)
  })

  test('takes the stream-copy path for matching clips, identical to a bare concat', async () => {
    const dir = await tempDir()
    const clips = await Promise.all(
      ['a', 'b', 'c'].map((id) => makeClip(join(dir, `${id}.mp4`), { frames: 30 + id.charCodeAt(0) - 97 })),
    )
    const out = join(dir, 'reel.mp4')
    const result = await assembleReel({
      segments: clips.map((file, i) => segment(file, `s${i}`)),
      output: { file: out, fit: 'contain', transition: CUT },
      workDir: join(dir, 'work'),
    })
    expect(result.method).toBe('stream-copy')
    const bare = join(dir, 'bare.mp4')
    const list = join(dir, 'list.txt')
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(list, clips.map((c) => `file '${c}'`).join('\n')),
    )
    await runFfmpeg(['-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', bare])
    expect(await countFrames(out)).toBe(await countFrames(bare))
    expect(await countFrames(out)).toBe(93)
    expect((await probeMedia(out)).video?.frameRate).toBe((await probeMedia(bare)).video?.frameRate)
  })

  test('matching clips that do not match the requested canvas are normalized, not copied', async () => {
    const dir = await tempDir()
    const clips = await Promise.all(['a', 'b'].map((id) => makeClip(join(dir, `${id}.mp4`), { frames: 24 })))
    const out = join(dir, 'reel.mp4')
    const result = await assembleReel({
      segments: clips.map((file, i) => segment(file, `s${i}`)),
      output: output(out, { width: 192, height: 108 }),
      workDir: join(dir, 'work'),
    })
    expect(result.method).toBe('concat')
    expect((await probeMedia(out)).video).toMatchObject({ width: 192, height: 108 })
    expect(await countFrames(out)).toBe(48)
  })

  test('re-assembling after a transition change reuses the mezzanines', async () => {
    const dir = await tempDir()
    const a = await makeClip(join(dir, 'a.mp4'), { frames: 24, width: 320, height: 180 })
    const b = await makeClip(join(dir, 'b.mp4'), { frames: 24, width: 320, height: 180 })
    const work = join(dir, 'work')
    const first = await assembleReel({
      segments: [segment(a, 'a'), segment(b, 'b')],
      output: output(join(dir, '1.mp4')),
      workDir: work,
    })
    expect(first.segments.map((s) => s.cached)).toEqual([false, false])
    const second = await assembleReel({
      segments: [segment(a, 'a'), segment(b, 'b', { transition: { type: 'fade-black', duration: 0.5 } })],
      output: output(join(dir, '2.mp4')),
      workDir: work,
    })
    expect(second.segments.map((s) => s.cached)).toEqual([true, true])
  })

  test('aborting stops ffmpeg and leaves neither the reel nor partial files', async () => {
    const dir = await tempDir()
    const a = await makeClip(join(dir, 'a.mp4'), { frames: 120, width: 320, height: 180 })
    const controller = new AbortController()
    const out = join(dir, 'reel.mp4')
    const run = assembleReel({
      segments: [segment(a, 'a', { seam: true })],
      output: output(out, { width: 1280, height: 720 }),
      workDir: join(dir, 'work'),
      signal: controller.signal,
      onProgress: (p) => p.stage === 'normalize' && controller.abort(new Error('user stop')),
    })
    await expect(run).rejects.toThrow('user stop')
    expect((await readdir(dir)).filter((f) => f !== 'a.mp4' && f !== 'work')).toEqual([])
    expect((await readdir(join(dir, 'work'))).filter((f) => f.endsWith('.mov'))).toEqual([])
  })

  test('lays a looped, faded, loudness-normalized soundtrack under the reel', async () => {
    const dir = await tempDir()
    const a = await makeClip(join(dir, 'a.mp4'), { frames: 48 })
    const b = await makeClip(join(dir, 'b.mp4'), { frames: 48 })
    const music = join(dir, 'music.wav')
    await runFfmpeg(['-y', '-f', 'lavfi', '-i', 'sine=f=330:r=44100:d=0.7,volume=0.05', music])
    const out = join(dir, 'reel.mp4')
    const result = await assembleReel({
      segments: [segment(a, 'a'), segment(b, 'b')],
      output: output(out, { audio: { file: music, fadeOut: 1, loudness: -14 } }),
      workDir: join(dir, 'work'),
    })
    expect(Number(result.soundtrackLoudness?.input_i)).toBeLessThan(-20)
    const facts = await streamFacts(out)
    expect(facts.frames).toBe(96)
    expect(Math.abs(facts.audio! - facts.video)).toBeLessThanOrEqual(AAC_FRAME)
    const rms = await audioRms(out, dir)
    // Looped past the 0.7 s source, loud in the middle, faded to near silence at the end.
    expect(rms[10]).toBeGreaterThan(0.1)
    expect(rms[38]).toBeLessThan(rms[10]! * 0.3)
    const measured = await measureIntegrated(out, dir)
    expect(measured).toBeGreaterThan(-17)
    expect(measured).toBeLessThan(-12)
  })
})

async function measureIntegrated(file: string, dir: string): Promise<number> {
  const { execFile } = await import('node:child_process')
  const { locateFfmpeg } = await import('../src/index.ts')
  const { ffmpeg } = await locateFfmpeg()
  const stderr = await new Promise<string>((resolve, reject) =>
    execFile(
      ffmpeg,
      ['-hide_banner', '-nostats', '-i', file, '-map', '0:a', '-af', 'ebur128', '-f', 'null', '-'],
      { cwd: dir },
      (error, _out, err) => (error ? reject(error) : resolve(err)),
    ),
  )
  return Number(/Integrated loudness:\s+I:\s+(-?[\d.]+) LUFS/.exec(stderr)?.[1])
}
