import { inspect } from 'node:util'
import { describe, expect, test } from 'vitest'
import { clientFromEnv, createClient } from '../src/index.ts'
import { envelope, FAST, startFakeApi } from './helpers/fake-api.ts'

const KEY = 'sk-live-9f8e7d6c5b4a-SECRET'

function leaks(error: unknown): boolean {
  return [JSON.stringify(error), inspect(error, { depth: 10 }), String((error as Error).stack)].some(
    (text) => text.includes(KEY) || text.includes(encodeURIComponent(KEY)),
  )
}

describe('the API key never appears in errors', () => {
  test('not when the server echoes it in a JSON message, an HTML page or a history failure', async () => {
    const api = await startFakeApi((req, res) => {
      const key = String(req.headers.authorization).slice('Bearer '.length)
      if (req.path.startsWith('/api/v3/balance'))
        return envelope(res, 401, undefined, {}, `invalid key ${key}`)
      if (req.path.startsWith('/api/v3/predictions/')) {
        res.writeHead(503, { 'content-type': 'text/html' })
        return res.end(`<html><title>Down for ${key}</title></html>`)
      }
      if (req.path === '/api/v3/predictions')
        return envelope(res, 500, undefined, {}, `history failed for ${key}`)
      envelope(res, 502, undefined, {}, `upstream rejected ${key}`)
    })
    const client = createClient({ apiKey: KEY, baseUrl: api.url, ...FAST })
    const errors = await Promise.all([
      client.balance().catch((e: unknown) => e),
      client.getResult('p1').catch((e: unknown) => e),
      client
        .submit({ model: 'kwaivgi/kling-v2.1-t2v-master', input: { prompt: 'x' } })
        .catch((e: unknown) => e),
    ])
    expect(errors.map((e) => (e as { code: string }).code)).toEqual([
      'WS_AUTH',
      'WS_SERVER',
      'WS_SUBMIT_AMBIGUOUS',
    ])
    expect((errors[0] as Error).message).toContain('[redacted]')
    for (const error of errors) expect(leaks(error)).toBe(false)
  })

  test('not when the base URL itself carries it, nor in the client object', async () => {
    const client = createClient({ apiKey: KEY, baseUrl: `http://127.0.0.1:9/${KEY}/`, ...FAST })
    const error = await client.balance().catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'WS_NETWORK' })
    expect(leaks(error)).toBe(false)
    expect(inspect(client, { depth: 10 })).not.toContain(KEY)
    expect(client.baseUrl).not.toContain(KEY)
  })

  test('clientFromEnv reads WAVESPEED_API_KEY and WAVESPEED_BASE_URL, and says what to set when the key is missing', async () => {
    const api = await startFakeApi((_req, res) => envelope(res, 200, { balance: 3.5 }))
    expect(await clientFromEnv({ WAVESPEED_API_KEY: KEY, WAVESPEED_BASE_URL: api.url }).balance()).toBe(3.5)
    expect(api.seen[0]?.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(clientFromEnv({ WAVESPEED_API_KEY: KEY }).baseUrl).toBe('https://api.wavespeed.ai')
    expect(() => clientFromEnv({})).toThrow(
      expect.objectContaining({ code: 'WS_CONFIG', message: expect.stringMatching(/WAVESPEED_API_KEY/) }),
    )
  })
})
