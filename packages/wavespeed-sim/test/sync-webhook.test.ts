import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, onTestFinished, test } from 'vitest'
import { api, type PredictionData, useSimulator, waitForResult } from './helpers.ts'

const T2V = 'kwaivgi/kling-v2.5-turbo-pro/text-to-video'

interface Received {
  headers: IncomingMessage['headers']
  body: string
}

/** A webhook receiver that answers the given statuses in turn (then 200). */
async function receiver(
  statuses: number[] = [],
): Promise<{ url: string; received: Received[]; next: () => Promise<Received> }> {
  const received: Received[] = []
  const waiters: ((r: Received) => void)[] = []
  const server = createServer(async (req, res) => {
    let body = ''
    for await (const chunk of req) body += chunk
    const entry = { headers: req.headers, body }
    received.push(entry)
    res.writeHead(statuses.shift() ?? 200).end()
    waiters.shift()?.(entry)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onTestFinished(
    () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  )
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    next: () => new Promise((resolve) => waiters.push(resolve)),
  }
}

/** The documented verification, written independently of the simulator's signer. */
function verify(secret: string, headers: IncomingMessage['headers'], body: string): boolean {
  const key = secret.replace(/^whsec_/, '')
  const expected = createHmac('sha256', key)
    .update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`)
    .digest('hex')
  const [version, signature] = String(headers['webhook-signature']).split(',')
  const age = Math.abs(Date.now() / 1000 - Number(headers['webhook-timestamp']))
  return (
    version === 'v3' &&
    age < 300 &&
    timingSafeEqual(Buffer.from(signature!, 'hex'), Buffer.from(expected, 'hex'))
  )
}

describe('sync mode', () => {
  test('blocks until the prediction completes and returns it whole', async () => {
    const sim = await useSimulator({ latencyMs: 200 })
    const started = Date.now()
    const reply = await api<PredictionData>(sim, 'POST', T2V, { prompt: 'x', enable_sync_mode: true })
    expect(Date.now() - started).toBeGreaterThanOrEqual(200)
    expect(reply.data).toMatchObject({ status: 'completed', outputs: [expect.stringMatching(/\.mp4$/)] })
  })

  test('after the sync timeout it answers 200 with the 5004 shape and the task keeps running', async () => {
    const sim = await useSimulator({ latencyMs: 600, syncTimeoutMs: 100 })
    const reply = await api<Record<string, unknown>>(sim, 'POST', T2V, {
      prompt: 'x',
      enable_sync_mode: true,
    })
    expect(reply.httpStatus).toBe(200)
    const id = String(reply.data.id)
    expect(reply.data).toEqual({
      id,
      status: 'processing',
      code: 5004,
      error: 'Sync mode timed out after 0.1 seconds. The prediction is still processing asynchronously.',
      urls: { get: `${sim.url}/api/v3/predictions/${id}/result` },
    })
    expect((await waitForResult(sim, id)).status).toBe('completed')
  })

  test('base64 output returns the clip bytes inline, without a data: prefix', async () => {
    const sim = await useSimulator({ latencyMs: 50 })
    const reply = await api<PredictionData>(sim, 'POST', T2V, {
      prompt: 'x',
      enable_sync_mode: true,
      enable_base64_output: true,
    })
    const bytes = Buffer.from(reply.data.outputs[0]!, 'base64')
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp')
  })
})

describe('webhooks', () => {
  test('the bare prediction is delivered, signed verifiably with the secret from /webhook/secret', async () => {
    const sim = await useSimulator({ latencyMs: 50 })
    const hook = await receiver()
    const delivered = hook.next()
    const { data } = await api<PredictionData>(
      sim,
      'POST',
      `${T2V}?webhook=${encodeURIComponent(hook.url)}`,
      { prompt: 'x' },
    )
    const { headers, body } = await delivered
    const { secret } = (await api<{ secret: string }>(sim, 'GET', 'webhook/secret')).data
    expect(secret).toMatch(/^whsec_/)
    expect(verify(secret, headers, body)).toBe(true)
    expect(verify(`whsec_${'0'.repeat(48)}`, headers, body)).toBe(false)
    expect(headers['content-type']).toBe('application/json')
    expect(JSON.parse(body)).toMatchObject({
      id: data.id,
      status: 'completed',
      outputs: [`${sim.url}/outputs/${data.id}.mp4`],
    })
    expect(JSON.parse(body)).not.toHaveProperty('code')
    expect(sim.submissions()[0]!.webhook).toBe(hook.url)
  })

  test('failed deliveries are retried up to 3 times with backoff', async () => {
    const sim = await useSimulator({ latencyMs: 20, webhookRetryBaseMs: 30, faults: { failPrediction: 1 } })
    const hook = await receiver([500, 503, 502, 500])
    await api(sim, 'POST', `${T2V}?webhook=${encodeURIComponent(hook.url)}`, { prompt: 'x' })
    await expect.poll(() => sim.stats().webhooks.length, { timeout: 2000 }).toBe(1)
    expect(sim.stats().webhooks[0]).toMatchObject({ attempts: 4, delivered: false, status: 500 })
    expect(hook.received).toHaveLength(4)
    expect(new Set(hook.received.map((r) => r.headers['webhook-id'])).size).toBe(1)
    expect(JSON.parse(hook.received[0]!.body)).toMatchObject({ status: 'failed' })
  })

  test('duplicateWebhook delivers the same message twice, with the same webhook-id', async () => {
    const sim = await useSimulator({ latencyMs: 20, faults: { duplicateWebhook: 1 } })
    const hook = await receiver()
    await api(sim, 'POST', `${T2V}?webhook=${encodeURIComponent(hook.url)}`, { prompt: 'x' })
    await expect.poll(() => hook.received.length, { timeout: 3000 }).toBe(2)
    expect(hook.received[0]!.headers['webhook-id']).toBe(hook.received[1]!.headers['webhook-id'])
    expect(hook.received[0]!.body).toBe(hook.received[1]!.body)
  })

  test('a webhook with base64 output is refused with the documented 400', async () => {
    const sim = await useSimulator()
    const response = await fetch(`${sim.url}/api/v3/${T2V}?webhook=http://127.0.0.1:1/x`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'x', enable_base64_output: true }),
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      error:
        'webhook callback does not support base64 output, please use the normal API to use base64 output',
    })
    expect(sim.stats().createdTotal).toBe(0)
  })
})
