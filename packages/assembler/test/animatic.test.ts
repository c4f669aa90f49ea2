import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { findModel, type RenderRequest } from '@storyreel/core'
import { describe, expect, test } from 'vitest'
import { countFrames, createAnimaticProvider, probeMedia, renderMotionClip, runFfmpeg } from '../src/index.ts'
import { lumaSeries, tempDir } from './helpers.ts'

async function still(file: string, luma: number, size = '320x240'): Promise<string> {
  await runFfmpeg(['-y', '-f', 'lavfi', '-i', `color=c=black:s=${size},geq=lum=${luma}:cb=128:cr=128`, '-frames:v', '1', file])
  return file
}

describe('renderMotionClip', () => {
  test('moves over a start image and crossfades to the end image, with exact length and rate', async () => {
    const dir = await tempDir()
    const out = join(dir, 'clip.mp4')
    await renderMotionClip({ start: await still(join(dir, 's.png'), 40), end: await still(join(dir, 'e.png'), 200), duration: 2, fps: 24, width: 160, height: 90, out })
    const info = await probeMedia(out)
    expect(info.video).toMatchObject({ width: 160, height: 90, frameRate: '24/1', pixFmt: 'yuv420p' })
    expect(await countFrames(out)).toBe(48)
    const luma = await lumaSeries(out, dir)
    expect(luma[0]).toBeCloseTo(40, -0.5)
    expect(luma[20]).toBeCloseTo(40, -0.5)
    expect(luma[36]).toBeGreaterThan(80)
    expect(luma[47]).toBeGreaterThan(190)
  })

  test('renders a text card whose length follows duration × fps', async () => {
    const dir = await tempDir()
    const out = join(dir, 'card.mp4')
    await renderMotionClip({ prompt: `A "quoted", [bracketed]; 100% odd: prompt\\ with 'quotes'`, label: 'ANIMATIC · t2v', duration: 1.5, fps: 30, width: 160, height: 90, out })
    expect(await countFrames(out)).toBe(45)
    expect((await probeMedia(out)).video?.frameRate).toBe('30/1')
  })
})

describe('createAnimaticProvider', () => {
  const i2v = findModel('kling-v2.1-i2v-standard')!
  const t2v = findModel('kling-v2.5-turbo-pro-t2v')!

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
    await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, 'shots')))
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

  test('a changed start image (same path) is a new request', async () => {
    const dir = await tempDir()
    const provider = createAnimaticProvider({ cacheDir: join(dir, 'cache'), shortSide: 90 })
    const path = await still(join(dir, 'chain.png'), 60)
    const request: RenderRequest = { shotId: 'b', model: i2v, params: { prompt: 'p', duration: 5 }, startImage: { kind: 'file', path } }
    const first = await provider.submit(request)
    await still(path, 120)
    expect((await provider.submit(request)).id).not.toBe(first.id)
  })

  test('a text-to-video shot becomes a card in the requested aspect ratio', async () => {
    const dir = await tempDir()
    const provider = createAnimaticProvider({ cacheDir: join(dir, 'cache'), shortSide: 90 })
    const { id } = await provider.submit({ shotId: 'tall', model: t2v, params: { prompt: 'a lighthouse at dusk', duration: 5, aspect_ratio: '9:16' } })
    const { output } = await provider.wait(id)
    expect((await probeMedia(output)).video).toMatchObject({ width: 90, height: 160 })
    expect(await countFrames(output)).toBe(120)
  })

  test('wait on an unknown id is a typed, non-retryable error', async () => {
    const dir = await tempDir()
    const provider = createAnimaticProvider({ cacheDir: dir })
    await expect(provider.wait('animatic-nope')).rejects.toMatchObject({ code: 'ASM_ANIMATIC', retryable: false })
  })
})
