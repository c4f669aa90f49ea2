import { describe, expect, test } from 'vitest'
import { createClient, isWaveSpeedError } from '../src/index.ts'
import { envelope, FAST, startFakeApi } from './helpers/fake-api.ts'

const MODEL = 'kwaivgi/kling-v2.1-t2v-master'
const INPUT = { prompt: 'a lighthouse at dusk', duration: 5 }
const KEY = 'sk-test-0123456789abcdef'

function prediction(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    model: MODEL,
    status: 'created',
    outputs: [],
    created_at: new Date().toISOString(),
    error: '',
    input: INPUT,
    ...extra,
  }
}

describe('submit', () => {
  test('sends the flat body once with the key and the webhook query', async () => {
    const api = await startFakeApi((_req, res) => envelope(res, 200, prediction('p1')))
    const client = createClient({ apiKey: KEY, baseUrl: api.url, ...FAST })
    const p = await client.submit({ model: MODEL, input: INPUT }, { webhook: 'https://example.com/hook?a=1' })
    expect(p.id).toBe('p1')
    expect(api.seen).toHaveLength(1)
    const [req] = api.seen
    expect(req?.method).toBe('POST')
    expect(new URL(req!.path, api.url).pathname).toBe(`/api/v3/${MODEL}`)
    expect(new URL(req!.path, api.url).searchParams.get('webhook')).toBe('https://example.com/hook?a=1')
    expect(JSON.parse(req!.body)).toEqual(INPUT)
    expect(req?.headers.authorization).toBe(`Bearer ${KEY}`)
  })

  test('retries a 429 after Retry-After and reports the wait', async () => {
    let n = 0
    const api = await startFakeApi((_req, res) =>
      ++n === 1
        ? envelope(res, 429, undefined, { 'retry-after': '0.2' }, 'rate limited')
        : envelope(res, 200, prediction('p2')),
    )
    const waits: number[] = []
    const client = createClient({ apiKey: KEY, baseUrl: api.url, ...FAST })
    const started = Date.now()
    const p = await client.submit({ model: MODEL, input: INPUT }, { onRateLimit: (ms) => waits.push(ms) })
    expect(p.id).toBe('p2')
    expect(Date.now() - started).toBeGreaterThanOrEqual(190)
    expect(waits).toEqual([200])
    expect(api.seen.filter((r) => r.method === 'POST')).toHaveLength(2)
  })

  test('after a 502 HTML page it adopts the prediction history shows instead of paying again', async () => {
    const created = prediction('p-created')
    const api = await startFakeApi((req, res) => {
      if (req.path === '/api/v3/predictions')
        return envelope(res, 200, {
          page: 1,
          items: [prediction('other', { input: { prompt: 'x' } }), created],
        })
      res.writeHead(502, { 'content-type': 'text/html' })
      res.end('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>')
    })
    const adopted: string[] = []
    const client = createClient({ apiKey: KEY, baseUrl: api.url, ...FAST })
    const p = await client.submit({ model: MODEL, input: INPUT }, { onAdopt: (x) => adopted.push(x.id) })
    expect(p.id).toBe('p-created')
    expect(adopted).toEqual(['p-created'])
    const submits = api.seen.filter((r) => r.path.startsWith(`/api/v3/${MODEL}`))
    expect(submits).toHaveLength(1)
    const query = JSON.parse(api.seen.find((r) => r.path === '/api/v3/predictions')!.body)
    expect(query).toMatchObject({ model: MODEL, page: 1 })
    expect(Date.parse(query.created_after)).toBeLessThanOrEqual(Date.now())
  })

  test('resubmits once only when history answered and shows nothing', async () => {
    let submits = 0
    const api = await startFakeApi((req, res) => {
      if (req.path === '/api/v3/predictions') return envelope(res, 200, { page: 1, items: [] })
      if (++submits === 1) return void res.socket?.destroy()
      envelope(res, 200, prediction('p-second'))
    })
    const client = createClient({ apiKey: KEY, baseUrl: api.url, ...FAST })
    const p = await client.submit({ model: MODEL, input: INPUT })
    expect(p.id).toBe('p-second')
    expect(submits).toBe(2)
  })

  test('never resubmits more than maxResubmits times', async () => {
    const api = await startFakeApi((req, res) => {
      if (req.path === '/api/v3/predictions') return envelope(res, 200, { page: 1, items: [] })
      envelope(res, 503, undefined, {}, 'overloaded')
    })
    const client = createClient({ apiKey: KEY, baseUrl: api.url, ...FAST })
    const error = await client.submit({ model: MODEL, input: INPUT }).catch((e: unknown) => e)
    expect(isWaveSpeedError(error, 'WS_SERVER')).toBe(true)
    expect(error).toMatchObject({ ambiguous: false, retryable: true })
    expect(api.seen.filter((r) => r.path.startsWith(`/api/v3/${MODEL}`))).toHaveLength(2)
  })

  test('throws an ambiguous error, without resubmitting, when history cannot be reached', async () => {
    const api = await startFakeApi((req, res) => {
      if (req.path === '/api/v3/predictions') return envelope(res, 500, undefined, {}, 'history down')
      res.socket?.destroy()
    })
    const client = createClient({ apiKey: KEY, baseUrl: api.url, ...FAST })
    const error = await client.submit({ model: MODEL, input: INPUT }).catch((e: unknown) => e)
    expect(isWaveSpeedError(error, 'WS_SUBMIT_AMBIGUOUS')).toBe(true)
    expect(error).toMatchObject({ ambiguous: true, model: MODEL })
    expect((error as Error).message).toMatch(/look it up before submitting again/)
    expect(api.seen.filter((r) => r.path.startsWith(`/api/v3/${MODEL}`))).toHaveLength(1)
  })

  test('does not adopt a prediction whose input differs, nor one already claimed', async () => {
    const api = await startFakeApi((req, res) => {
      if (req.path === '/api/v3/predictions')
        return envelope(res, 200, {
          page: 1,
          items: [
            prediction('p-other', { input: { ...INPUT, prompt: 'a different shot' } }),
            prediction('p1', { input: INPUT }),
          ],
        })
      if (api.seen.filter((r) => r.method === 'POST' && r.path.startsWith('/api/v3/kwaivgi')).length === 1)
        return envelope(res, 200, prediction('p1'))
      envelope(res, 500, undefined, {}, 'boom')
    })
    const client = createClient({
      apiKey: KEY,
      baseUrl: api.url,
      ...FAST,
      submit: { ...FAST.submit, maxResubmits: 0 },
    })
    expect((await client.submit({ model: MODEL, input: INPUT })).id).toBe('p1')
    const error = await client.submit({ model: MODEL, input: INPUT }).catch((e: unknown) => e)
    expect(isWaveSpeedError(error, 'WS_SERVER')).toBe(true)
  })

  test('connection refused is retried (nothing was sent); a 400 is not', async () => {
    const closed = createClient({ apiKey: KEY, baseUrl: 'http://127.0.0.1:9', ...FAST })
    const refused = await closed.submit({ model: MODEL, input: INPUT }).catch((e: unknown) => e)
    expect(refused).toMatchObject({ code: 'WS_NETWORK', ambiguous: false })
    const api = await startFakeApi((_req, res) =>
      envelope(res, 400, undefined, {}, 'duration must be 5 or 10'),
    )
    const client = createClient({ apiKey: KEY, baseUrl: api.url, ...FAST })
    const bad = await client.submit({ model: MODEL, input: INPUT }).catch((e: unknown) => e)
    expect(bad).toMatchObject({
      code: 'WS_BAD_REQUEST',
      httpStatus: 400,
      apiMessage: 'duration must be 5 or 10',
      ambiguous: false,
    })
    expect(api.seen).toHaveLength(1)
  })

  test('an abort while the POST is in flight is reported as ambiguous, not as a plain abort', async () => {
    const api = await startFakeApi(() => new Promise(() => undefined))
    const client = createClient({ apiKey: KEY, baseUrl: api.url, ...FAST })
    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error('user pressed ctrl-c')), 50)
    const error = await client
      .submit({ model: MODEL, input: INPUT }, { signal: controller.signal })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'WS_SUBMIT_AMBIGUOUS', ambiguous: true })
    expect(api.seen).toHaveLength(1)
  })
})
