import { mkdir, readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { assembleReel, countFrames, probeMedia, runFfmpeg } from '@storyreel/assembler'
import { findModel, type RenderRequest } from '@storyreel/core'
import { describe, expect, test } from 'vitest'
// The assembler's test helpers until the workspace has a shared test-utils package.
import { lumaPlanes, lumaSeries, meanDifference, tempDir } from '../../assembler/test/helpers.ts'
import { createAnimaticProvider, moveForTake } from '../src/index.ts'

async function still(file: string, luma: number, size = '320x240'): Promise<string> {
  await runFfmpeg([
    '-y',
    '-f',
    'lavfi',
    '-i',
    `color=c=black:s=${size},geq=lum=${luma}:cb=128:cr=128`,
    '-frames:v',
    '1',
    file,
  ])
  return file
}

const i2v = findModel('kling-v2.1-i2v-standard')!
const t2v = findModel('kling-v2.5-turbo-pro-t2v')!

describe('createAnimaticProvider', () => {
  test('renders, caches by request, and downloads atomically; every frame is labelled', async () => {
    const dir = await tempDir()
    const provider = createAnimaticProvider({ cacheDir: join(dir, 'cache'), shortSide: 90 })
    expect(provider.paid).toBe(false)
    const request: RenderRequest = {
      shotId: 'opening',
      model: i2v,
      params: { prompt: 'slow push in', duration: 5 },
      startImage: { kind: 'file', path: await still(join(dir, 'start.png'), 60, '320x180') },
    }
    const { id } = await provider.submit(request)
    expect((await provider.submit(request)).id).toBe(id)
    const result = await provider.wait(id)
    const dest = join(dir, 'shots', 'opening.mp4')
    await mkdir(join(dir, 'shots'))
    await provider.download(result, dest)
    expect(await readFile(dest)).toEqual(await readFile(result.output))
    expect(await countFrames(dest)).toBe(5 * i2v.fps)
    expect((await probeMedia(dest)).video).toMatchObject({ width: 160, height: 90 })
    // Every frame has the dark label bar across the top, with letters at its left end, over the flat grey picture.
    const letters = await lumaSeries(dest, dir, { x: 2, y: 1, w: 50, h: 6 })
    const emptyBar = await lumaSeries(dest, dir, { x: 130, y: 1, w: 28, h: 6 })
    const picture = await lumaSeries(dest, dir, { x: 60, y: 30, w: 40, h: 20 })
    expect(letters).toHaveLength(120)
    expect(emptyBar.every((l) => l < 40)).toBe(true)
    expect(letters.every((l, i) => l - emptyBar[i]! > 10)).toBe(true)
    expect(picture.every((l) => Math.abs(l - 60) < 4)).toBe(true)
    // A second wait reuses the render.
    const mtime = (await stat(result.output)).mtimeMs
    expect((await provider.wait(id)).output).toBe(result.output)
    expect((await stat(result.output)).mtimeMs).toBe(mtime)
  })

  test('on a canvas of its shape and rate, a clip is written as a mezzanine the reel adopts as it is', async () => {
    const dir = await tempDir()
    const canvas = { width: 320, height: 180, fps: i2v.fps }
    const provider = createAnimaticProvider({ cacheDir: join(dir, 'cache'), shortSide: 90, canvas })
    const clips: string[] = []
    for (const shotId of ['a', 'b']) {
      const { id } = await provider.submit({
        shotId,
        model: i2v,
        params: { prompt: shotId, duration: 5 },
        startImage: { kind: 'file', path: await still(join(dir, `${shotId}.png`), 60, '320x180') },
      })
      clips.push((await provider.wait(id)).output)
    }
    expect((await probeMedia(clips[0]!)).video).toMatchObject({ width: 320, height: 180 })
    expect(await countFrames(clips[0]!)).toBe(5 * i2v.fps)
    const workDir = join(dir, 'work')
    const reel = await assembleReel({
      segments: clips.map((file, i) => ({ id: `s${i}`, file, seam: false })),
      output: {
        file: join(dir, 'reel.mp4'),
        ...canvas,
        fit: 'contain',
        transition: { type: 'crossfade', duration: 0.5 },
      },
      workDir,
    })
    // Both clips were used as they are (no mezzanine made), only the crossfade's piece was encoded.
    expect(reel.segments.map((s) => s.cached)).toEqual([true, true])
    expect((await readdir(workDir)).filter((f) => f.startsWith('mezzanine-'))).toEqual([])
    expect(reel.frames).toBe(2 * 5 * i2v.fps - 12)
  })

  test('a changed start image (same path) is a new request', async () => {
    const dir = await tempDir()
    const provider = createAnimaticProvider({ cacheDir: join(dir, 'cache'), shortSide: 90 })
    const path = await still(join(dir, 'chain.png'), 60)
    const request: RenderRequest = {
      shotId: 'b',
      model: i2v,
      params: { prompt: 'p', duration: 5 },
      startImage: { kind: 'file', path },
    }
    const first = await provider.submit(request)
    await still(path, 120)
    expect((await provider.submit(request)).id).not.toBe(first.id)
  })

  test('a text-to-video shot becomes a card in the requested aspect ratio', async () => {
    const dir = await tempDir()
    const provider = createAnimaticProvider({ cacheDir: join(dir, 'cache'), shortSide: 90 })
    const { id } = await provider.submit({
      shotId: 'tall',
      model: t2v,
      params: { prompt: 'a lighthouse at dusk', duration: 5, aspect_ratio: '9:16' },
    })
    const { output } = await provider.wait(id)
    expect((await probeMedia(output)).video).toMatchObject({ width: 90, height: 160 })
    expect(await countFrames(output)).toBe(120)
  })

  test('wait on an unknown id is a typed, non-retryable error', async () => {
    const dir = await tempDir()
    const provider = createAnimaticProvider({ cacheDir: dir })
    await expect(provider.wait('animatic-nope')).rejects.toMatchObject({
      name: 'AnimaticError',
      code: 'ANIMATIC_UNKNOWN_ID',
      retryable: false,
    })
  })

  test('an unreadable start image is a typed, non-retryable error', async () => {
    const dir = await tempDir()
    const provider = createAnimaticProvider({ cacheDir: dir })
    const missing = join(dir, 'missing.png')
    await expect(
      provider.submit({
        shotId: 'x',
        model: i2v,
        params: { prompt: 'p', duration: 5 },
        startImage: { kind: 'file', path: missing },
      }),
    ).rejects.toMatchObject({
      code: 'ANIMATIC_IMAGE',
      file: missing,
      retryable: false,
    })
  })
})

describe('takes', () => {
  test('each take is its own render with its own camera move; the same take is rendered once', async () => {
    const dir = await tempDir()
    const provider = createAnimaticProvider({ cacheDir: join(dir, 'cache'), shortSide: 90 })
    const pattern = join(dir, 'pattern.png')
    await runFfmpeg(['-y', '-f', 'lavfi', '-i', 'testsrc2=s=320x180', '-frames:v', '1', pattern])
    const take = (n: number | undefined): RenderRequest => ({
      shotId: 'deck',
      model: i2v,
      params: { prompt: 'the deck in a storm', duration: 5 },
      startImage: { kind: 'file', path: pattern },
      ...(n === undefined ? {} : { take: n }),
    })
    const one = await provider.submit(take(undefined))
    expect((await provider.submit(take(1))).id).toBe(one.id)
    const two = await provider.submit(take(2))
    expect(two.id).not.toBe(one.id)
    expect([moveForTake(1), moveForTake(2), moveForTake(3)]).toEqual(['drift', 'push-in', 'pan-left'])

    const [clipOne, clipTwo] = await Promise.all([provider.wait(one.id), provider.wait(two.id)])
    // The picture between the label bar (9 px) and the caption bar (14 px) of a 160x90 frame.
    const picture = { crop: { x: 0, y: 10, w: 160, h: 64 } }
    const [planesOne, planesTwo] = await Promise.all([
      lumaPlanes(clipOne.output, dir, picture),
      lumaPlanes(clipTwo.output, dir, picture),
    ])
    expect(planesTwo).toHaveLength(120)
    expect(meanDifference(planesOne[60]!, planesTwo[60]!)).toBeGreaterThan(5)

    // Take 2 again: the same id, and the clip already rendered is returned as it is.
    const mtime = (await stat(clipTwo.output)).mtimeMs
    const again = await provider.submit(take(2))
    expect(again.id).toBe(two.id)
    expect(await provider.wait(again.id)).toEqual({ output: clipTwo.output, inferenceMs: 0 })
    expect((await stat(clipTwo.output)).mtimeMs).toBe(mtime)
  })
})
