import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import {
  closeTo,
  makeImage,
  makeQuadrants,
  meanDiff,
  readFrame,
  render,
  upload,
  useSimulator,
  useTempDir,
} from './helpers.ts'

const I2V_END = 'kwaivgi/kling-v2.5-turbo-pro/image-to-video'
const T2V = 'kwaivgi/kling-v2.5-turbo-pro/text-to-video'
const BLUE = [0, 0, 255]

describe('takes: identical requests give different clips, as the real API does', () => {
  test('i2v: two takes differ in the middle, both start on the input image and end on the end image', async () => {
    const dir = await useTempDir()
    const sim = await useSimulator({ videoScale: 0.25, cacheDir: join(dir, 'cache') })
    const quadrants = await makeQuadrants(join(dir, 'start.png'), 640, 360)
    const end = await upload(sim, await makeImage(join(dir, 'end.png'), 640, 360, 'color=c=blue'), 'end.png')
    // The second take uploads the same start image again: a new URL, the same request.
    const takes = []
    for (const name of ['start-1.png', 'start-2.png']) {
      takes.push(
        await render(
          sim,
          I2V_END,
          { image: await upload(sim, quadrants, name), last_image: end, prompt: 'slow push in', duration: 5 },
          dir,
        ),
      )
    }
    expect(sim.timelines().map((t) => t.take)).toEqual([0, 1])

    const [a, b] = takes as [string, string]
    const frame = (file: string, index: number) => readFrame(file, index, 480, 270)
    expect(meanDiff(await frame(a, 60), await frame(b, 60))).toBeGreaterThan(8)
    expect(meanDiff(await frame(a, 0), await frame(b, 0))).toBeLessThan(1)
    for (const file of takes) {
      const first = await frame(file, 0)
      expect(closeTo(first.pixel(120, 67), [255, 0, 0], 24)).toBe(true)
      expect(closeTo(first.pixel(360, 202), [255, 255, 0], 24)).toBe(true)
      const last = await frame(file, 119)
      for (const [x, y] of [
        [10, 10],
        [240, 135],
        [470, 260],
      ] as const)
        expect(closeTo(last.pixel(x, y), BLUE, 24)).toBe(true)
    }
  })

  test('t2v: a second take is visibly different from the first', async () => {
    const dir = await useTempDir()
    const sim = await useSimulator({ videoScale: 0.2, cacheDir: join(dir, 'cache') })
    const first = await render(sim, T2V, { prompt: 'a lighthouse in fog' }, dir)
    const second = await render(sim, T2V, { prompt: 'a lighthouse in fog', duration: 5 }, dir)
    expect(
      meanDiff(await readFrame(first, 60, 384, 216), await readFrame(second, 60, 384, 216)),
    ).toBeGreaterThan(8)
  })

  test('with distinctTakes false every identical request gets the same clip', async () => {
    const dir = await useTempDir()
    const sim = await useSimulator({ videoScale: 0.2, cacheDir: join(dir, 'cache'), distinctTakes: false })
    const first = await render(sim, T2V, { prompt: 'a lighthouse in fog' }, dir)
    const second = await render(sim, T2V, { prompt: 'a lighthouse in fog' }, dir)
    expect(await readFile(second)).toEqual(await readFile(first))
    expect(sim.timelines().map((t) => t.take)).toEqual([0, 0])
    expect(sim.stats().renders).toBe(1)
  })
})
