import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import {
  api,
  closeTo,
  makeImage,
  makeQuadrants,
  meanDiff,
  type PredictionData,
  probeVideo,
  readFrame,
  render,
  upload,
  useSimulator,
  useTempDir,
  waitForResult,
} from './helpers.ts'

const RED = [255, 0, 0]
const LIME = [0, 255, 0]
const BLUE = [0, 0, 255]
const YELLOW = [255, 255, 0]

describe('generated clips', () => {
  test('i2v: the first frame is the input image, the last the end image, with motion between', async () => {
    const dir = await useTempDir()
    // A fresh cache: these tests check what the renderer draws now, not what an older version cached.
    const sim = await useSimulator({ videoScale: 0.25, cacheDir: join(dir, 'cache') })
    const start = await upload(sim, await makeQuadrants(join(dir, 'start.png'), 800, 600), 'start.png')
    const end = await upload(sim, await makeImage(join(dir, 'end.jpg'), 600, 600, 'color=c=blue'), 'end.jpg')
    const file = await render(
      sim,
      'kwaivgi/kling-v2.5-turbo-pro/image-to-video',
      { image: start, last_image: end, prompt: 'x', duration: 5 },
      dir,
    )

    // 1080p x 0.25 = 270 tall; the width follows the 4:3 input.
    const info = await probeVideo(file)
    expect(info).toMatchObject({ codec: 'h264', width: 360, height: 270, frames: 120, fps: '24/1' })
    expect(info.duration).toBeCloseTo(5, 2)

    const first = await readFrame(file, 0, 360, 270)
    expect(closeTo(first.pixel(90, 67), RED, 24)).toBe(true)
    expect(closeTo(first.pixel(270, 67), LIME, 24)).toBe(true)
    expect(closeTo(first.pixel(90, 202), BLUE, 24)).toBe(true)
    expect(closeTo(first.pixel(270, 202), YELLOW, 24)).toBe(true)
    // The quadrant border sits exactly in the middle of the first frame, as in the input.
    expect(closeTo(first.pixel(176, 67), RED, 24)).toBe(true)
    expect(closeTo(first.pixel(184, 67), LIME, 24)).toBe(true)

    // During the crossfade (seconds 3 to 4.5) the start image blends into the end image.
    const fading = await readFrame(file, 90, 360, 270)
    const [r, g, b] = fading.pixel(90, 67)
    expect(r).toBeGreaterThan(40)
    expect(b).toBeGreaterThan(40)
    expect(g).toBeLessThan(40)

    const last = await readFrame(file, 119, 360, 270)
    for (const [x, y] of [
      [10, 10],
      [180, 135],
      [350, 260],
    ] as const)
      expect(closeTo(last.pixel(x, y), BLUE, 24)).toBe(true)
  })

  test('i2v without an end image zooms into the start image: visible motion to the end', async () => {
    const dir = await useTempDir()
    // A fresh cache: these tests check what the renderer draws now, not what an older version cached.
    const sim = await useSimulator({ videoScale: 0.25, cacheDir: join(dir, 'cache') })
    const start = await upload(sim, await makeImage(join(dir, 'start.png'), 640, 360), 'start.png')
    const file = await render(
      sim,
      'kwaivgi/kling-v2.1-i2v-standard',
      { image: start, prompt: 'x', duration: 10 },
      dir,
    )
    // 720p x 0.25 = 180 tall, 16:9.
    expect(await probeVideo(file)).toMatchObject({ width: 320, height: 180, frames: 240 })
    const first = await readFrame(file, 0, 320, 180)
    const last = await readFrame(file, 239, 320, 180)
    expect(meanDiff(first, last)).toBeGreaterThan(5)
  })

  test('i2v: the prompt steers the camera, so another prompt ends on another frame from the same first frame', async () => {
    const dir = await useTempDir()
    const sim = await useSimulator({ videoScale: 0.25, cacheDir: join(dir, 'cache') })
    const start = await upload(sim, await makeQuadrants(join(dir, 'start.png'), 640, 360), 'start.png')
    const model = 'kwaivgi/kling-v2.1-i2v-pro'
    const calm = await render(
      sim,
      model,
      { image: start, prompt: 'the camera drifts left', duration: 5 },
      dir,
    )
    const storm = await render(
      sim,
      model,
      { image: start, prompt: 'the camera rushes right', duration: 5 },
      dir,
    )
    expect(meanDiff(await readFrame(calm, 0, 480, 270), await readFrame(storm, 0, 480, 270))).toBeLessThan(1)
    expect(
      meanDiff(await readFrame(calm, 119, 480, 270), await readFrame(storm, 119, 480, 270)),
    ).toBeGreaterThan(5)
  })

  test('t2v: a picture from the prompt at the requested aspect ratio, different prompts differ', async () => {
    const dir = await useTempDir()
    // A fresh cache: these tests check what the renderer draws now, not what an older version cached.
    const sim = await useSimulator({ videoScale: 0.25, cacheDir: join(dir, 'cache') })
    const model = 'kwaivgi/kling-v2.1-t2v-master'
    const fox = await render(
      sim,
      model,
      { prompt: 'A fox: "quoted", 100% {weird} \\ chars', aspect_ratio: '9:16' },
      dir,
    )
    const owl = await render(sim, model, { prompt: 'An owl at night', aspect_ratio: '9:16' }, dir)
    expect(await probeVideo(fox)).toMatchObject({ width: 152, height: 270, frames: 120 })
    const a = await readFrame(fox, 0, 152, 270)
    const b = await readFrame(owl, 0, 152, 270)
    expect(closeTo(a.pixel(140, 260), b.pixel(140, 260), 10)).toBe(false)
  })

  test('each take of a request is rendered once, then served from the cache', async () => {
    const dir = await useTempDir()
    const model = 'kwaivgi/kling-v2.5-turbo-pro/text-to-video'
    const prompt = `cache check ${Date.now()}`
    const first = await useSimulator({ cacheDir: dir })
    await render(first, model, { prompt }, dir)
    await render(first, model, { prompt }, dir)
    // Two takes of one request are two clips.
    expect(first.stats().renders).toBe(2)
    // A new simulator numbers takes from 0 again: both clips come from the cache.
    const second = await useSimulator({ cacheDir: dir })
    await render(second, model, { prompt }, dir)
    await render(second, model, { prompt }, dir)
    expect(second.stats().renders).toBe(0)
  })

  test("start-end-frame renders about 2 MP in the input's aspect, as measured on the real model", async () => {
    const dir = await useTempDir()
    const sim = await useSimulator({ videoScale: 0.2, cacheDir: join(dir, 'cache') })
    const start = await upload(sim, await makeImage(join(dir, 'start.png'), 800, 600), 'start.png')
    const end = await upload(sim, await makeImage(join(dir, 'end.png'), 800, 600, 'color=c=blue'), 'end.png')
    const file = await render(
      sim,
      'kwaivgi/kling-v2.1-i2v-pro/start-end-frame',
      { image: start, end_image: end, prompt: 'x' },
      dir,
    )
    // 1920x1080 pixels at 4:3 is 1663x1247 (1660x1244 measured); x 0.2 = 334x250.
    expect(await probeVideo(file)).toMatchObject({ width: 334, height: 250, frames: 120 })
  })
})

describe('render batching', () => {
  const T2V = 'kwaivgi/kling-v2.5-turbo-pro/text-to-video'

  test('clips queued together share ffmpeg processes', async () => {
    const dir = await useTempDir()
    const sim = await useSimulator({ cacheDir: join(dir, 'cache'), concurrency: 8, renderConcurrency: 1 })
    const ids: string[] = []
    for (let i = 0; i < 5; i++)
      ids.push((await api<PredictionData>(sim, 'POST', T2V, { prompt: `batch ${i}` })).data.id)
    const results = await Promise.all(ids.map((id) => waitForResult(sim, id)))
    expect(results.map((r) => r.status)).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
      'completed',
    ])
    expect(sim.stats().renders).toBe(5)
    // The first clip starts alone; the others queue behind it and share a process.
    expect(sim.stats().renderProcesses).toBeLessThan(5)
  })

  test('a clip ffmpeg cannot render fails its prediction alone, not the clips batched with it', async () => {
    const dir = await useTempDir()
    const sim = await useSimulator({ cacheDir: join(dir, 'cache'), concurrency: 8, renderConcurrency: 1 })
    const png = await makeImage(join(dir, 'ok.png'), 400, 400)
    // A valid PNG header (so the image checks pass) over bytes ffmpeg cannot decode.
    const image = await upload(sim, Buffer.concat([png.subarray(0, 33), Buffer.alloc(2000, 7)]), 'broken.png')
    const first = (await api<PredictionData>(sim, 'POST', T2V, { prompt: 'renders alone' })).data.id
    const bad = (await api<PredictionData>(sim, 'POST', 'kwaivgi/kling-v2.1-i2v-pro', { image, prompt: 'x' }))
      .data.id
    const others = [
      (await api<PredictionData>(sim, 'POST', T2V, { prompt: 'queued b' })).data.id,
      (await api<PredictionData>(sim, 'POST', T2V, { prompt: 'queued c' })).data.id,
    ]
    expect(await waitForResult(sim, bad)).toMatchObject({ status: 'failed', code: 5000 })
    for (const id of [first, ...others]) expect((await waitForResult(sim, id)).status).toBe('completed')
    expect(sim.stats()).toMatchObject({ renders: 3, refunded: 0.45 })
  })
})
