import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { extractFrames, probeMedia, runFfmpeg, verifyClip } from '../src/index.ts'
import { lumaSeries, makeClip, tempDir } from './helpers.ts'

/** A clip as a video API delivers it: H.264, index at the front (faststart), so a cut-off copy still probes. */
async function deliveredClip(file: string, seconds: number): Promise<string> {
  await runFfmpeg([
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=s=320x180:r=24:d=${seconds}`,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
    file,
  ])
  return file
}

async function isPng(file: string): Promise<boolean> {
  return (await readFile(file)).subarray(1, 4).toString() === 'PNG'
}

async function lumaOfPng(png: string, dir: string): Promise<number> {
  return (await lumaSeries(png, dir))[0]!
}

describe('extractFrames', () => {
  test('writes the first and the exact last frame in one call, with audio outlasting the video', async () => {
    const dir = await tempDir()
    const clip = await makeClip(join(dir, 'idx.mp4'), {
      width: 64,
      height: 36,
      fps: 24,
      frames: 50,
      lumaStep: 4,
      audioSeconds: 4,
    })
    const first = join(dir, 'a.first.png')
    const last = join(dir, 'a.last.png')
    await extractFrames(clip, { first, last })
    expect(await isPng(first)).toBe(true)
    const series = await lumaSeries(clip, dir)
    // Frames are 4 luma steps apart; each PNG must match its frame, not a neighbour.
    expect(Math.abs((await lumaOfPng(first, dir)) - series[0]!)).toBeLessThan(1.5)
    expect(Math.abs((await lumaOfPng(last, dir)) - series[49]!)).toBeLessThan(1.5)
  })

  test('finds the exact last frame of a stream that states no duration (Matroska)', async () => {
    const dir = await tempDir()
    const clip = await makeClip(join(dir, 'idx.mkv'), {
      width: 64,
      height: 36,
      fps: 25,
      frames: 40,
      lumaStep: 4,
    })
    expect((await probeMedia(clip)).video?.duration).toBeUndefined()
    const last = join(dir, 'last.png')
    await extractFrames(clip, { last })
    const series = await lumaSeries(clip, dir)
    expect(Math.abs((await lumaOfPng(last, dir)) - series[39]!)).toBeLessThan(1.5)
  })

  test('leaves nothing behind when the clip is not a video', async () => {
    const dir = await tempDir()
    const junk = join(dir, 'junk.mp4')
    await writeFile(junk, '<html>502 Bad Gateway</html>')
    await expect(
      extractFrames(junk, { first: join(dir, 'f.png'), last: join(dir, 'l.png') }),
    ).rejects.toMatchObject({ code: 'FFMPEG_EXIT' })
    expect(await readdir(dir)).toEqual(['junk.mp4'])
  })
})

describe('verifyClip', () => {
  test('accepts a good clip and writes its frames from the same decode', async () => {
    const dir = await tempDir()
    const clip = await deliveredClip(join(dir, 'good.mp4'), 2)
    const frames = { first: join(dir, 'good.first.png'), last: join(dir, 'good.last.png') }
    const verified = await verifyClip(clip, { expectedDuration: 2, frames })
    expect(verified.duration).toBeCloseTo(2, 2)
    expect(verified.info.video).toMatchObject({ width: 320, height: 180 })
    expect(verified.frames).toEqual(frames)
    expect(await isPng(frames.first)).toBe(true)
    expect(await isPng(frames.last)).toBe(true)
  })

  test('rejects a body that is not a video, and an empty file', async () => {
    const dir = await tempDir()
    const page = join(dir, 'page.mp4')
    await writeFile(page, '<html><body>502 Bad Gateway</body></html>\n'.repeat(50))
    const error = await verifyClip(page, { expectedDuration: 5 }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'ASM_CLIP_INVALID',
      problem: 'not-a-video',
      file: page,
      expectedDuration: 5,
    })
    expect((error as Error).message).toBe(
      `${page} is not a video ffmpeg can read (Invalid data found when processing input); an error page or a cut-off download looks like this, so it is not a usable clip. Discard it and download it again.`,
    )
    const empty = join(dir, 'empty.mp4')
    await writeFile(empty, '')
    await expect(verifyClip(empty, { expectedDuration: 5 })).rejects.toMatchObject({
      code: 'ASM_CLIP_INVALID',
      problem: 'not-a-video',
    })
  })

  test('rejects a truncated clip whose index still promises every frame, and writes no frames', async () => {
    const dir = await tempDir()
    const bytes = await readFile(await deliveredClip(join(dir, 'full.mp4'), 2))
    const cut = join(dir, 'cut.mp4')
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)))
    expect((await probeMedia(cut)).video?.duration).toBeCloseTo(2, 2)
    const frames = { first: join(dir, 'cut.first.png'), last: join(dir, 'cut.last.png') }
    const error = await verifyClip(cut, { expectedDuration: 2, frames }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ASM_CLIP_INVALID', problem: 'undecodable', duration: 2 })
    expect((error as Error).message).toMatch(
      /cut\.mp4 does not decode to its last frame \(.+\): it is truncated or corrupt, so it is not a usable clip\. Discard it and download it again\.$/,
    )
    expect((await readdir(dir)).sort()).toEqual(['cut.mp4', 'full.mp4'])
  })

  test('rejects a clip of the right size whose bytes were damaged', async () => {
    const dir = await tempDir()
    const bytes = Buffer.from(await readFile(await deliveredClip(join(dir, 'full.mp4'), 2)))
    // Flip 8 KB in the middle of the picture data: the header, and so the probe, is untouched.
    const from = Math.floor(bytes.length / 2)
    for (let i = from; i < from + 8192; i++) bytes[i] = bytes[i]! ^ 0xff
    const damaged = join(dir, 'damaged.mp4')
    await writeFile(damaged, bytes)
    expect((await stat(damaged)).size).toBe((await stat(join(dir, 'full.mp4'))).size)
    expect((await probeMedia(damaged)).video?.duration).toBeCloseTo(2, 2)
    await expect(
      verifyClip(damaged, { expectedDuration: 2, frames: { last: join(dir, 'last.png') } }),
    ).rejects.toMatchObject({
      code: 'ASM_CLIP_INVALID',
      problem: 'undecodable',
    })
  })

  test('rejects a clip of the wrong duration, and accepts one within the tolerance', async () => {
    const dir = await tempDir()
    const clip = await deliveredClip(join(dir, 'short.mp4'), 2)
    const error = await verifyClip(clip, { expectedDuration: 5 }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'ASM_CLIP_INVALID',
      problem: 'wrong-duration',
      duration: 2,
      expectedDuration: 5,
    })
    expect((error as Error).message).toBe(
      `${clip} lasts 2.00 s but 5 s was asked for, so it is not a usable clip. Discard it and download it again.`,
    )
    await expect(verifyClip(clip, { expectedDuration: 2.4 })).resolves.toMatchObject({ duration: 2 })
    await expect(verifyClip(clip, { expectedDuration: 2.4, toleranceSeconds: 0.2 })).rejects.toMatchObject({
      problem: 'wrong-duration',
    })
  })
})
