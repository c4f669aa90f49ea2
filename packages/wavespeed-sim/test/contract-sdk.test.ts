// The official SDK, unmodified, must not be able to tell the simulator from WaveSpeed.
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { Client, WavespeedSyncTimeoutException } from 'wavespeed'
import { download, makeImage, probeVideo, useSimulator, useTempDir } from './helpers.ts'

describe('official wavespeed SDK 0.3.2 against the simulator', () => {
  test('upload() then run() image-to-video returns a playable H.264 clip of the requested duration', async () => {
    const sim = await useSimulator()
    const dir = await useTempDir()
    const image = join(dir, 'start.png')
    await makeImage(image, 640, 360)
    const client = new Client(sim.apiKey, { baseUrl: sim.url })

    const url = await client.upload(image)
    expect(url.startsWith(`${sim.url}/`)).toBe(true)
    const result = await client.run(
      'kwaivgi/kling-v2.1-i2v-pro',
      { image: url, prompt: 'slow push in', duration: 5 },
      { pollInterval: 0.05 },
    )

    expect(result.outputs).toHaveLength(1)
    const clip = await probeVideo(await download(String(result.outputs[0]), dir))
    expect(clip).toMatchObject({ codec: 'h264', frames: 120, fps: '24/1', height: 216, width: 384 })
    expect(sim.stats().created).toEqual({ 'kwaivgi/kling-v2.1-i2v-pro': 1 })
  })

  test('run() text-to-video, polling and in sync mode', async () => {
    const sim = await useSimulator()
    const client = new Client(sim.apiKey, { baseUrl: sim.url })

    const polled = await client.run(
      'kwaivgi/kling-v2.5-turbo-pro/text-to-video',
      { prompt: 'a red fox in snow', aspect_ratio: '9:16' },
      { pollInterval: 0.05 },
    )
    const synced = await client.run(
      'kwaivgi/kling-v2.5-turbo-pro/text-to-video',
      { prompt: 'a red fox in snow' },
      { enableSyncMode: true },
    )

    expect(polled.outputs[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/outputs\/[0-9a-f]+\.mp4$/)
    expect(synced.outputs[0]).toMatch(/\/outputs\/[0-9a-f]+\.mp4$/)
    expect(sim.stats().createdTotal).toBe(2)
  })

  test('a failed prediction surfaces its error text through the SDK', async () => {
    const sim = await useSimulator({
      faults: {
        failPrediction: () => ({ code: 1200, error: 'Content moderation: the prompt was flagged.' }),
      },
    })
    const client = new Client(sim.apiKey, { baseUrl: sim.url })
    await expect(
      client.run('kwaivgi/kling-v2.5-turbo-pro/text-to-video', { prompt: 'x' }, { pollInterval: 0.05 }),
    ).rejects.toThrow(/Prediction failed \(task_id: [0-9a-f]+\): Content moderation/)
  })

  test('the SDK recognises the sync-mode timeout answer', async () => {
    const sim = await useSimulator({ latencyMs: 2000, syncTimeoutMs: 100 })
    const client = new Client(sim.apiKey, { baseUrl: sim.url })
    const outcome = await client.runNoThrow(
      'kwaivgi/kling-v2.5-turbo-pro/text-to-video',
      { prompt: 'x' },
      { enableSyncMode: true },
    )
    expect(outcome.detail.error).toBeInstanceOf(WavespeedSyncTimeoutException)
    expect(outcome.detail.status).toBe('processing')
  })
})
