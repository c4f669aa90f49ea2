import { mkdir, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { MODELS } from '@storyreel/core'
import { Agent, interceptors } from 'undici'
import { describe, expect, onTestFinished, test } from 'vitest'
import { createClient, createWavespeedProvider } from '../src/index.ts'
import { envelope, FAST, pour, startFakeApi } from './helpers/fake-api.ts'
import { tempDir } from './helpers/sim.ts'

const KEY = 'sk-limits-key-0123456789'
const MB = 1024 * 1024

describe('API answers are bounded', () => {
  test('a huge JSON body from the result endpoint is not read past the cap: WS_RESPONSE_TOO_LARGE, and polling goes on', async () => {
    const sent = { bytes: 0 }
    let polls = 0
    const api = await startFakeApi(async (_req, res) => {
      const prefix = '{"code":200,"message":"success","data":{"id":"p1","status":"processing","error":"'
      if (++polls === 1)
        return pour(res, { prefix, total: 64 * MB, sent, headers: { 'content-type': 'application/json' } })
      envelope(res, 200, { id: 'p1', status: 'completed', outputs: ['https://cdn.example/p1.mp4'] })
    })
    const client = createClient({
      apiKey: KEY,
      baseUrl: api.url,
      ...FAST,
      retry: { retries: 0, baseMs: 1, capMs: 1 },
    })
    // One status read meets the giant body; the next poll reads the finished prediction.
    expect((await client.waitForResult('p1')).status).toBe('completed')
    expect(sent.bytes).toBeLessThan(32 * MB)

    polls = 0
    sent.bytes = 0
    const error = await client.getResult('p1').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'WS_RESPONSE_TOO_LARGE', retryable: true })
    expect((error as Error).message).toMatch(
      /larger than the 4\.0 MB .*GET \/api\/v3\/predictions\/p1\/result|GET \/api\/v3\/predictions\/p1\/result.*larger than the 4\.0 MB/,
    )
  })

  test('a Content-Length above the cap is refused before any of the body is read', async () => {
    const api = await startFakeApi((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(3 * 1024 * MB) })
      res.write('{"code":200,')
    })
    const client = createClient({
      apiKey: KEY,
      baseUrl: api.url,
      ...FAST,
      retry: { retries: 0, baseMs: 1, capMs: 1 },
      maxResponseBytes: MB,
    })
    await expect(client.balance()).rejects.toMatchObject({
      code: 'WS_RESPONSE_TOO_LARGE',
      message: expect.stringMatching(/3072\.0 MB/),
    })
  })

  test(
    'a body that trickles in forever ends at the request time limit, not never',
    { timeout: 10_000 },
    async () => {
      const api = await startFakeApi((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.write('{"code":200,"data":{"balance":')
        const drip = setInterval(() => res.write(' '), 50)
        res.on('close', () => clearInterval(drip))
      })
      const client = createClient({
        apiKey: KEY,
        baseUrl: api.url,
        ...FAST,
        requestTimeoutMs: 500,
        retry: { retries: 0, baseMs: 1, capMs: 1 },
      })
      await expect(client.balance()).rejects.toMatchObject({
        code: 'WS_NETWORK',
        message: expect.stringMatching(/did not arrive in time/),
      })
    },
  )
})

describe('redirects of requests that carry the key', () => {
  test('are refused with WS_UNSAFE_URL, even through a dispatcher that follows redirects: the other host never sees the key', async () => {
    const elsewhere = await startFakeApi((_req, res) =>
      envelope(res, 200, { balance: 1, id: 'p1', status: 'completed' }),
    )
    const api = await startFakeApi((req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/steal${req.path}` })
      res.end()
    })
    const following = new Agent().compose(interceptors.redirect({ maxRedirections: 3 }))
    onTestFinished(() => following.close())
    const client = createClient({ apiKey: KEY, baseUrl: api.url, ...FAST, dispatcher: following })
    for (const call of [() => client.balance(), () => client.getResult('p1')]) {
      const error = await call().catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'WS_UNSAFE_URL', httpStatus: 302, retryable: false })
      expect((error as Error).message).toMatch(/does not follow redirects .*WAVESPEED_BASE_URL/)
    }
    expect(elsewhere.seen).toEqual([])
  })
})

describe('uploads are bounded', () => {
  const i2v = MODELS.find((m) => m.id === 'kwaivgi/kling-v2.1-i2v-pro')!

  test('an image over 10 MB is refused by its size before it is read or anything is sent', async () => {
    const api = await startFakeApi((_req, res) => envelope(res, 500))
    const dir = await tempDir()
    const big = join(dir, 'huge.png')
    await writeFile(big, '')
    await truncate(big, 11 * MB)
    const client = createClient({ apiKey: KEY, baseUrl: api.url, ...FAST })
    const error = await client.upload(big).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'WS_TOO_LARGE', retryable: false })
    expect((error as Error).message).toMatch(/huge\.png is 11\.0 MB; WaveSpeed takes images up to 10\.0 MB/)
    await expect(client.upload({ data: new Uint8Array(11 * MB), filename: 'b.png' })).rejects.toMatchObject({
      code: 'WS_TOO_LARGE',
    })

    const provider = createWavespeedProvider(client)
    const request = {
      shotId: 's',
      model: i2v,
      params: { prompt: 'p', duration: 5 },
      startImage: { kind: 'file', path: big },
    } as const
    await expect(provider.submit(request)).rejects.toMatchObject({ code: 'WS_TOO_LARGE' })
    expect(api.seen).toEqual([])
  })

  test('a folder is refused as not a regular file, with its own message', async () => {
    const api = await startFakeApi((_req, res) => envelope(res, 500))
    const dir = await tempDir()
    await mkdir(join(dir, 'frames.png'))
    const client = createClient({ apiKey: KEY, baseUrl: api.url, ...FAST })
    await expect(client.upload(join(dir, 'frames.png'))).rejects.toMatchObject({
      code: 'WS_UPLOAD',
      message: expect.stringMatching(/not a regular file/),
    })
    expect(api.seen).toEqual([])
  })
})
