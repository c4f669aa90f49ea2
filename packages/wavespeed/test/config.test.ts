import { inspect } from 'node:util'
import { describe, expect, test } from 'vitest'
import { clientFromEnv, createClient } from '../src/index.ts'
import { envelope, FAST, startFakeApi } from './helpers/fake-api.ts'

const KEY = 'sk-config-7d1e2f3a4b5c-SECRET'

describe('a plain-http base URL', () => {
  test.each(['http://api.wavespeed.invalid', 'http://10.0.0.7:8080/', 'http://127.0.0.1.invalid'])(
    '%s is refused before any connection, with the way to override',
    (baseUrl) => {
      const error = (() => {
        try {
          createClient({ apiKey: KEY, baseUrl })
        } catch (e) {
          return e
        }
        return undefined
      })()
      expect(error).toMatchObject({ code: 'WS_CONFIG' })
      expect((error as Error).message).toMatch(
        /is plain http, which would send the API key unencrypted .*nothing was sent\. Use an https URL.*STORYREEL_INSECURE_BASE_URL=1/,
      )
      expect(() => clientFromEnv({ WAVESPEED_API_KEY: KEY, WAVESPEED_BASE_URL: baseUrl })).toThrow(
        expect.objectContaining({ code: 'WS_CONFIG' }),
      )
    },
  )

  test.each([
    'http://127.0.0.1:9',
    'http://127.4.5.6:9',
    'http://[::1]:9',
    'http://localhost:9',
    'https://api.wavespeed.invalid',
  ])('%s is accepted (loopback, or https)', (baseUrl) => {
    expect(createClient({ apiKey: KEY, baseUrl }).baseUrl).toBe(baseUrl)
  })

  test('is accepted on purpose with allowInsecureBaseUrl or STORYREEL_INSECURE_BASE_URL=1', () => {
    const baseUrl = 'http://proxy.internal.invalid:8080'
    expect(createClient({ apiKey: KEY, baseUrl, allowInsecureBaseUrl: true }).baseUrl).toBe(baseUrl)
    expect(
      clientFromEnv({ WAVESPEED_API_KEY: KEY, WAVESPEED_BASE_URL: baseUrl, STORYREEL_INSECURE_BASE_URL: '1' })
        .baseUrl,
    ).toBe(baseUrl)
    expect(() =>
      clientFromEnv({
        WAVESPEED_API_KEY: KEY,
        WAVESPEED_BASE_URL: baseUrl,
        STORYREEL_INSECURE_BASE_URL: '0',
      }),
    ).toThrow(/plain http/)
  })
})

describe('the API key', () => {
  test('is sent without the whitespace around it, and redacted as sent', async () => {
    const api = await startFakeApi((req, res) =>
      envelope(res, 401, undefined, {}, `key ${String(req.headers.authorization).slice(7)} is unknown`),
    )
    const client = clientFromEnv(
      { WAVESPEED_API_KEY: `  ${KEY}\n`, WAVESPEED_BASE_URL: api.url },
      { retry: FAST.retry },
    )
    const error = await client.balance().catch((e: unknown) => e)
    expect(api.seen[0]?.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(error).toMatchObject({ code: 'WS_AUTH', apiMessage: 'key [redacted] is unknown' })
    expect(inspect(error, { depth: 10 })).not.toContain(KEY)
    expect(client.redact(`see ${KEY} and ${encodeURIComponent(KEY)}`)).toBe('see [redacted] and [redacted]')
  })

  test.each([
    [`sk-abc\ndef`, /contains a line break \(U\+000A, character 7 of 10\)/],
    [`sk-abc\r\ndef`, /contains a line break \(U\+000D/],
    ['sk-abc\tdef', /contains a tab/],
    ['sk-abc def', /contains a space/],
    ['sk-abc\u0007def', /contains a control character \(U\+0007/],
    ['sk-abc\u00a0def', /contains a character that is not plain ASCII \(U\+00A0/],
  ])('%j is refused as WS_CONFIG, saying which character, without showing the key', (apiKey, message) => {
    expect(() => createClient({ apiKey, baseUrl: 'http://127.0.0.1:9' })).toThrow(
      expect.objectContaining({ code: 'WS_CONFIG', message: expect.stringMatching(message) }),
    )
    try {
      createClient({ apiKey, baseUrl: 'http://127.0.0.1:9' })
    } catch (error) {
      expect((error as Error).message).not.toContain('abc')
    }
  })

  test('a missing or blank key still says to set WAVESPEED_API_KEY', () => {
    expect(() => clientFromEnv({ WAVESPEED_API_KEY: ' \n' })).toThrow(
      expect.objectContaining({ code: 'WS_CONFIG', message: expect.stringMatching(/set WAVESPEED_API_KEY/) }),
    )
  })
})
