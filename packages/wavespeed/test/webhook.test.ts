import { createHmac } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, onTestFinished, test } from 'vitest'
import type { Prediction } from '../src/index.ts'
import { createWebhookInbox, verifyWebhook } from '../src/index.ts'
import { withSimulator } from './helpers/sim.ts'

const SECRET = 'whsec_c2VjcmV0LW5vdC1iYXNlNjQtZGVjb2RlZA'
const NOW = 1_760_000_000_000
const BODY = JSON.stringify({ id: 'p1', status: 'completed', outputs: ['https://cdn.example/p1.mp4'] })

function signed(body = BODY, key = SECRET.slice('whsec_'.length), timestamp = NOW / 1000) {
  const hex = createHmac('sha256', key).update(`msg_1.${timestamp}.${body}`).digest('hex')
  return { 'webhook-id': 'msg_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': `v3,${hex}` }
}

describe('verifyWebhook', () => {
  test('accepts a valid delivery and returns the prediction', () => {
    expect(verifyWebhook({ headers: signed(), rawBody: BODY, secret: SECRET, now: NOW })).toMatchObject({
      id: 'p1',
      status: 'completed',
    })
  })

  test('uses the secret minus whsec_ as text: the unprefixed secret verifies too, a base64-decoded key does not', () => {
    expect(
      verifyWebhook({ headers: signed(), rawBody: Buffer.from(BODY), secret: SECRET.slice(6), now: NOW }).id,
    ).toBe('p1')
    const decodedKey = Buffer.from(SECRET.slice(6), 'base64').toString('latin1')
    expect(() =>
      verifyWebhook({ headers: signed(BODY, decodedKey), rawBody: BODY, secret: SECRET, now: NOW }),
    ).toThrow(/signature does not match/)
  })

  test('accepts fetch Headers and a list of signatures containing the right one', () => {
    const h = signed()
    const headers = new Headers({
      ...h,
      'webhook-signature': `v3,${'0'.repeat(64)} ${h['webhook-signature']}`,
    })
    expect(verifyWebhook({ headers, rawBody: BODY, secret: SECRET, now: NOW }).id).toBe('p1')
  })

  test.each([
    ['a tampered body', { rawBody: BODY.replace('completed', 'failed') }, /signature does not match/],
    ['a wrong secret', { secret: 'whsec_another' }, /signature does not match/],
    ['a stale timestamp', { now: NOW + 301_000 }, /more than 300 s/],
    ['a timestamp from the future', { now: NOW - 301_000 }, /more than 300 s/],
    ['missing headers', { headers: { 'webhook-id': 'msg_1' } }, /lacks webhook-id/],
    [
      'a v1 (Svix base64) signature',
      { headers: { ...signed(), 'webhook-signature': 'v1,abc=' } },
      /signature does not match/,
    ],
  ])('rejects %s with WS_WEBHOOK_INVALID', (_name, override, message) => {
    const input = { headers: signed(), rawBody: BODY, secret: SECRET, now: NOW, ...override }
    expect(() => verifyWebhook(input)).toThrow(message)
    expect(() => verifyWebhook(input)).toThrow(expect.objectContaining({ code: 'WS_WEBHOOK_INVALID' }))
  })

  test('verifies a real delivery from the simulator for a prediction submitted with ?webhook=', async () => {
    const received: Prediction[] = []
    let resolve: () => void = () => undefined
    const arrived = new Promise<void>((r) => (resolve = r))
    const receiver = createServer(async (req, res) => {
      const chunks: Buffer[] = []
      for await (const chunk of req) chunks.push(chunk as Buffer)
      received.push(verifyWebhook({ headers: req.headers, rawBody: Buffer.concat(chunks), secret: SECRET }))
      res.end('ok')
      resolve()
    })
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
    onTestFinished(() => void receiver.close())
    const { client } = await withSimulator({ webhookSecret: SECRET })
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
    const p = await client.submit(
      { model: 'kwaivgi/kling-v2.5-turbo-pro/text-to-video', input: { prompt: 'hooked', duration: 5 } },
      { webhook: hook },
    )
    await arrived
    expect(received).toHaveLength(1)
    expect(received[0]).toMatchObject({ id: p.id, status: 'completed' })
  })

  test('waitForResult with an inbox finishes on the delivery, long before its first poll', async () => {
    const inbox = createWebhookInbox({ secret: SECRET })
    const receiver = createServer(async (req, res) => {
      const chunks: Buffer[] = []
      for await (const chunk of req) chunks.push(chunk as Buffer)
      try {
        inbox.accept({ headers: req.headers, rawBody: Buffer.concat(chunks) })
        res.end('ok')
      } catch {
        res.statusCode = 400
        res.end()
      }
    })
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
    onTestFinished(() => void receiver.close())
    const { sim, client } = await withSimulator({ webhookSecret: SECRET, latencyMs: 100 })
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
    const started = Date.now()
    const p = await client.submit(
      { model: 'kwaivgi/kling-v2.5-turbo-pro/text-to-video', input: { prompt: 'inbox', duration: 5 } },
      { webhook: hook },
    )
    const slowPolls = { firstMs: 20_000, baseMs: 20_000, growth: 0, minMs: 20_000, maxMs: 20_000 }
    const done = await client.waitForResult(p.id, { inbox, poll: slowPolls })
    expect(done).toMatchObject({ id: p.id, status: 'completed' })
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(sim.stats().requests.result ?? 0).toBe(0)
  })

  test('the inbox ignores forged deliveries and keeps early ones for a later wait', async () => {
    const inbox = createWebhookInbox({ secret: SECRET })
    expect(() => inbox.accept({ headers: signed(BODY, 'forged'), rawBody: BODY })).toThrow(
      expect.objectContaining({ code: 'WS_WEBHOOK_INVALID' }),
    )
    const ts = Math.floor(Date.now() / 1000)
    inbox.accept({ headers: signed(BODY, SECRET.slice(6), ts), rawBody: BODY })
    await expect(inbox.next('p1')).resolves.toMatchObject({ id: 'p1' })
    const controller = new AbortController()
    const pending = inbox.next('p2', controller.signal)
    controller.abort(new Error('gave up'))
    await expect(pending).rejects.toThrow('gave up')
  })
})
