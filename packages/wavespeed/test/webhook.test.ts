import { createHmac } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, onTestFinished, test } from 'vitest'
import { verifyWebhook } from '../src/index.ts'
import type { Prediction } from '../src/index.ts'
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
    expect(verifyWebhook({ headers: signed(), rawBody: BODY, secret: SECRET, now: NOW })).toMatchObject({ id: 'p1', status: 'completed' })
  })

  test('uses the secret minus whsec_ as text: the unprefixed secret verifies too, a base64-decoded key does not', () => {
    expect(verifyWebhook({ headers: signed(), rawBody: Buffer.from(BODY), secret: SECRET.slice(6), now: NOW }).id).toBe('p1')
    const decodedKey = Buffer.from(SECRET.slice(6), 'base64').toString('latin1')
    expect(() => verifyWebhook({ headers: signed(BODY, decodedKey), rawBody: BODY, secret: SECRET, now: NOW })).toThrow(/signature does not match/)
  })

  test('accepts fetch Headers and a list of signatures containing the right one', () => {
    const h = signed()
    const headers = new Headers({ ...h, 'webhook-signature': `v3,${'0'.repeat(64)} ${h['webhook-signature']}` })
    expect(verifyWebhook({ headers, rawBody: BODY, secret: SECRET, now: NOW }).id).toBe('p1')
  })

  test.each([
    ['a tampered body', { rawBody: BODY.replace('completed', 'failed') }, /signature does not match/],
    ['a wrong secret', { secret: 'whsec_another' }, /signature does not match/],
    ['a stale timestamp', { now: NOW + 301_000 }, /more than 300 s/],
    ['a timestamp from the future', { now: NOW - 301_000 }, /more than 300 s/],
    ['missing headers', { headers: { 'webhook-id': 'msg_1' } }, /lacks webhook-id/],
    ['a v1 (Svix base64) signature', { headers: { ...signed(), 'webhook-signature': 'v1,abc=' } }, /signature does not match/],
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
    const p = await client.submit({ model: 'kwaivgi/kling-v2.5-turbo-pro/text-to-video', input: { prompt: 'hooked', duration: 5 } }, { webhook: hook })
    await arrived
    expect(received).toHaveLength(1)
    expect(received[0]).toMatchObject({ id: p.id, status: 'completed' })
  })
})
