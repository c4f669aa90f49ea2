import { describe, expect, test } from 'vitest'
import type { PredictionStatus } from '../src/index.ts'
import { createClient, POLL_BOUNDED, POLL_ECONOMICAL, pollSchedule } from '../src/index.ts'
import { envelope, FAST, startFakeApi } from './helpers/fake-api.ts'

const KEY = 'sk-wait-key-123456'

/** A result endpoint that walks through `statuses`, one per poll, then stays on the last. */
async function resultsServer(statuses: readonly PredictionStatus[], extra: Record<string, unknown> = {}) {
  let n = 0
  return startFakeApi((_req, res) => {
    const status = statuses[Math.min(n++, statuses.length - 1)]
    envelope(res, 200, {
      id: 'p1',
      model: 'm',
      status,
      outputs: status === 'completed' ? ['https://cdn.example/p1.mp4'] : [],
      error: '',
      ...(status === 'completed' ? {} : extra),
    })
  })
}

describe('waitForResult', () => {
  test('reports status changes and returns the completed prediction', async () => {
    const api = await resultsServer(['created', 'processing', 'processing', 'completed'])
    const client = createClient({ apiKey: KEY, baseUrl: api.url, ...FAST })
    const seen: string[] = []
    const p = await client.waitForResult('p1', { onStatus: (s) => seen.push(s) })
    expect(p.outputs).toEqual(['https://cdn.example/p1.mp4'])
    expect(seen).toEqual(['created', 'processing', 'completed'])
    expect(api.seen.every((r) => r.method === 'GET' && r.path === '/api/v3/predictions/p1/result')).toBe(true)
  })

  test.each([
    ['cancelled', undefined, 'WS_CANCELLED', false],
    ['timeout', undefined, 'WS_TIMEOUT', true],
    ['deleted', undefined, 'WS_DELETED', false],
    ['failed', 1200, 'WS_MODERATION', false],
    ['failed', 1401, 'WS_INVALID_PARAM', false],
    ['failed', 1402, 'WS_MEDIA_ACCESS', false],
    ['failed', 5000, 'WS_PREDICTION_FAILED', true],
  ] as const)('status %s (code %s) stops polling with %s', async (status, code, expected, retryable) => {
    const api = await resultsServer(
      ['processing', status],
      code === undefined ? { error: `it ended ${status}` } : { code, error: 'the API says why' },
    )
    const client = createClient({ apiKey: KEY, baseUrl: api.url, ...FAST })
    const error = await client.waitForResult('p1').catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: expected,
      predictionId: 'p1',
      retryable,
      predictionEnded: true,
      refunded: status !== 'deleted',
    })
    if (code !== undefined)
      expect(error).toMatchObject({ businessCode: code, apiMessage: 'the API says why' })
    expect(api.seen).toHaveLength(2)
  })

  test('a failed prediction is marked as ended; a status that cannot be read is not', async () => {
    const failed = await resultsServer(['failed'], { code: 5000, error: 'worker crashed' })
    const ended = await createClient({ apiKey: KEY, baseUrl: failed.url, ...FAST })
      .waitForResult('p1')
      .catch((e: unknown) => e)
    expect(ended).toMatchObject({ code: 'WS_PREDICTION_FAILED', predictionEnded: true })

    const down = await startFakeApi((_req, res) => envelope(res, 503, undefined, {}, 'maintenance'))
    const client = createClient({ apiKey: KEY, baseUrl: down.url, ...FAST })
    const unknown = await client.waitForResult('p1', { maxUnreadableMs: 300 }).catch((e: unknown) => e)
    expect(unknown).toMatchObject({
      code: 'WS_STATUS_UNKNOWN',
      predictionId: 'p1',
      retryable: true,
      predictionEnded: false,
    })
    expect((unknown as Error).message).toMatch(/may still be rendering.*run again later/)
  })

  test('keeps polling, further apart each time, while status reads fail for longer than one poll retries', async () => {
    let n = 0
    const times: number[] = []
    const api = await startFakeApi((_req, res) => {
      times.push(Date.now())
      if (++n <= 12) return envelope(res, 503, undefined, {}, 'maintenance')
      envelope(res, 200, { id: 'p1', status: 'completed', outputs: ['https://cdn.example/x.mp4'] })
    })
    const client = createClient({
      apiKey: KEY,
      baseUrl: api.url,
      ...FAST,
      retry: { retries: 1, baseMs: 1, capMs: 1 },
    })
    expect((await client.waitForResult('p1')).status).toBe('completed')
    expect(n).toBe(13)
    // Pairs of requests (a poll and its one retry): the pauses between polls grow.
    const pauses = times.filter((_, i) => i % 2 === 0).map((t, i, polls) => (i === 0 ? 0 : t - polls[i - 1]!))
    expect(Math.max(...pauses.slice(-2))).toBeGreaterThan(2 * Math.max(...pauses.slice(1, 3)))
  })

  test('keeps polling through 429s, 5xx and a non-JSON gateway page', async () => {
    let n = 0
    const api = await startFakeApi((_req, res) => {
      n++
      if (n === 1) return envelope(res, 429, undefined, { 'retry-after': '0' }, 'slow down')
      if (n === 2) return envelope(res, 500, undefined, {}, 'oops')
      if (n === 3) {
        res.writeHead(504, { 'content-type': 'text/html' })
        return res.end('<html><title>504 Gateway Time-out</title></html>')
      }
      envelope(res, 200, { id: 'p1', status: 'completed', outputs: ['https://cdn.example/x.mp4'] })
    })
    const client = createClient({ apiKey: KEY, baseUrl: api.url, ...FAST })
    expect((await client.waitForResult('p1')).status).toBe('completed')
    expect(n).toBe(4)
  })

  test('a sync-mode timeout marker (processing + 5004) keeps polling', async () => {
    const api = await resultsServer(['processing', 'completed'], {
      code: 5004,
      error: 'Sync mode timed out after 90 seconds.',
    })
    const client = createClient({ apiKey: KEY, baseUrl: api.url, ...FAST })
    expect((await client.waitForResult('p1')).status).toBe('completed')
  })

  test('aborts with the signal reason', async () => {
    const api = await resultsServer(['processing'])
    const client = createClient({ apiKey: KEY, baseUrl: api.url, ...FAST })
    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error('stop')), 60)
    await expect(client.waitForResult('p1', { signal: controller.signal })).rejects.toThrow('stop')
  })

  test('gives up with WS_WAIT_TIMEOUT and the id after timeoutMs', async () => {
    const api = await resultsServer(['processing'])
    const client = createClient({ apiKey: KEY, baseUrl: api.url, ...FAST })
    await expect(client.waitForResult('p1', { timeoutMs: 80 })).rejects.toMatchObject({
      code: 'WS_WAIT_TIMEOUT',
      predictionId: 'p1',
    })
  })
})

describe('poll schedule', () => {
  test('economical: about 10 requests for a 2-minute render, mean lag within 2 s + 10%', () => {
    expect(pollSchedule(120_000, POLL_ECONOMICAL).length).toBeLessThanOrEqual(12)
    const lags: number[] = []
    for (let done = 1000; done <= 300_000; done += 250) {
      const times = pollSchedule(done, POLL_ECONOMICAL)
      lags.push((times.at(-1)! - done) / (2000 + 0.1 * done))
    }
    expect(lags.reduce((a, b) => a + b, 0) / lags.length).toBeLessThanOrEqual(1)
  })

  test('bounded: worst-case lag within 2 s + 10% of the render time', () => {
    for (let done = 1000; done <= 300_000; done += 250) {
      const times = pollSchedule(done, POLL_BOUNDED)
      expect(times.at(-1)! - done).toBeLessThanOrEqual(2000 + 0.1 * done)
    }
  })
})
