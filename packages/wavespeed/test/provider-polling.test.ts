import { createHmac } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { RenderRequest } from '@storyreel/core'
import { MODELS } from '@storyreel/core'
import { request } from 'undici'
import { describe, expect, onTestFinished, test } from 'vitest'
import { createRenderTimeModel, createWavespeedProvider, startWebhookReceiver } from '../src/index.ts'
import { tempDir, withSimulator } from './helpers/sim.ts'

const T2V = MODELS.find((m) => m.id === 'kwaivgi/kling-v2.5-turbo-pro/text-to-video')!
const SHOT: RenderRequest = {
  shotId: 's',
  model: T2V,
  params: { prompt: 'a lighthouse at dusk', duration: 5 },
}
const SECRET = 'whsec_receiver-test-secret'

describe('the provider with learned render times', () => {
  test('records each finished render under its model and duration in the file, but not for a prediction it did not submit', async () => {
    const { client } = await withSimulator({ latencyMs: 300 })
    const file = join(await tempDir(), 'cache', 'render-times.json')
    const renderTimes = createRenderTimeModel({ file })
    const provider = createWavespeedProvider(client, { renderTimes })
    const walls: number[] = []
    for (let i = 0; i < 2; i++) {
      const started = Date.now()
      await provider.wait((await provider.submit(SHOT)).id)
      walls.push(Date.now() - started)
    }
    await renderTimes.flush()
    const saved = JSON.parse(await readFile(file, 'utf8')) as {
      models: Record<string, { samples: number[] }>
    }
    const samples = saved.models[`${T2V.id} 5s`]?.samples
    expect(samples).toHaveLength(2)
    samples!.forEach((ms, i) => {
      expect(ms).toBeGreaterThan(0)
      expect(ms).toBeLessThanOrEqual(walls[i]!)
    })

    // A later run re-attaching to a prediction does not know when it started: it waits without learning.
    const { id } = await provider.submit(SHOT)
    const laterRun = createRenderTimeModel({ file })
    await createWavespeedProvider(client, { renderTimes: laterRun }).wait(id)
    await laterRun.flush()
    expect(await createRenderTimeModel({ file }).samples(`${T2V.id} 5s`)).toHaveLength(2)
  })
})

describe('the provider with a webhook receiver', () => {
  test('finishes on the delivery, with no status read at all for a short render', async () => {
    const { sim, client } = await withSimulator({ latencyMs: 200, webhookSecret: SECRET })
    const receiver = await startWebhookReceiver({ secret: await client.webhookSecret() })
    onTestFinished(() => receiver.close())
    const provider = createWavespeedProvider(client, { webhook: receiver.url, inbox: receiver.inbox })
    const started = Date.now()
    const result = await provider.wait((await provider.submit(SHOT)).id)
    expect(result.output).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(sim.stats().requests.result ?? 0).toBe(0)
    expect(sim.submissions()[0]?.webhook).toBe(receiver.url)
  })

  test('answers only signed POSTs to its secret path that name it as host', async () => {
    const receiver = await startWebhookReceiver({ secret: SECRET, maxBodyBytes: 4096 })
    onTestFinished(() => receiver.close())
    const body = JSON.stringify({ id: 'p1', status: 'completed', outputs: ['https://cdn.example/p1.mp4'] })
    const timestamp = String(Math.floor(Date.now() / 1000))
    const signature = `v3,${createHmac('sha256', SECRET.slice('whsec_'.length)).update(`msg_1.${timestamp}.${body}`).digest('hex')}`
    const signed = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': timestamp,
      'webhook-signature': signature,
      'content-type': 'application/json',
    }
    const send = async (
      url: string,
      init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {},
    ) => {
      const res = await request(url, {
        method: init.method ?? 'POST',
        headers: { ...signed, ...init.headers },
        body: init.body ?? body,
      })
      await res.body.dump()
      return res.statusCode
    }
    const path = new URL(receiver.url).pathname
    expect(path).toMatch(/^\/wavespeed-webhook\/[0-9a-f]{32}$/)
    expect(await send(`${receiver.localUrl}/wavespeed-webhook/guess`)).toBe(404)
    expect(await send(receiver.url, { headers: { host: 'evil.example' } })).toBe(421)
    expect(await send(receiver.url, { method: 'GET', body: '' })).toBe(405)
    expect(await send(receiver.url, { headers: { 'webhook-signature': `v3,${'0'.repeat(64)}` } })).toBe(400)
    expect(await send(receiver.url, { body: 'x'.repeat(5000) })).toBe(413)
    expect(await send(receiver.url)).toBe(200)
    await expect(receiver.inbox.next('p1')).resolves.toMatchObject({ id: 'p1', status: 'completed' })
  })

  test('refuses a public URL that is not https', async () => {
    await expect(
      startWebhookReceiver({ secret: SECRET, publicUrl: 'http://hooks.example.invalid' }),
    ).rejects.toMatchObject({ code: 'WS_CONFIG' })
  })
})
