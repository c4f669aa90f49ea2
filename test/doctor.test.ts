import { startSimulator } from '@storyreel/wavespeed-sim'
import { describe, expect, test } from 'vitest'
import { runCli } from './helpers/run-cli.ts'

const KEY = 'sk-doctor-SECRET-99'

describe('storyreel doctor', () => {
  test('finds ffmpeg with the filters a render needs, and says the key is set without showing it', async () => {
    const sim = await startSimulator({ apiKey: KEY, balance: 42.5 })
    try {
      const result = await runCli(['doctor', '--online'], {
        env: { WAVESPEED_API_KEY: KEY, WAVESPEED_BASE_URL: sim.url },
      })
      expect(result.code, result.stdout + result.stderr).toBe(0)
      expect(result.stdout).toMatch(/ok\s+ffmpeg\s+\S*ffmpeg \(version \S+/)
      expect(result.stdout).toMatch(/ok\s+filters\s+everything the reel/)
      expect(result.stdout).toMatch(/ok\s+api key\s+WAVESPEED_API_KEY is set/)
      expect(result.stdout).toMatch(/ok\s+api\s+.*balance \$42\.50/)
      expect(result.stdout + result.stderr).not.toContain(KEY)
    } finally {
      await sim.close()
    }
  })

  test("a wrong key fails the online check with the API's reason, exit 1", async () => {
    const sim = await startSimulator({ apiKey: KEY })
    try {
      const result = await runCli(['doctor', '--online', '--json'], {
        env: { WAVESPEED_API_KEY: 'sk-not-this-one', WAVESPEED_BASE_URL: sim.url },
      })
      expect(result.code).toBe(1)
      const report = JSON.parse(result.stdout) as {
        ok: boolean
        checks: { name: string; ok: boolean; detail: string }[]
      }
      expect(report.ok).toBe(false)
      expect(report.checks.find((c) => c.name === 'api')).toMatchObject({
        ok: false,
        detail: expect.stringMatching(/key/i),
      })
      expect(result.stdout).not.toContain('sk-not-this-one')
    } finally {
      await sim.close()
    }
  })

  test('a plain-http base URL on another host fails the key check before anything connects, and says how to override', async () => {
    const env = { WAVESPEED_API_KEY: KEY, WAVESPEED_BASE_URL: 'http://api.wavespeed.invalid' }
    const result = await runCli(['doctor', '--online', '--json'], { env })
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout) as {
      ok: boolean
      checks: { name: string; ok: boolean; detail: string }[]
    }
    // The refusal, not a DNS or connection error: nothing was sent to the .invalid host.
    expect(report.checks.find((c) => c.name === 'api key')).toMatchObject({
      ok: false,
      detail: expect.stringMatching(
        /plain http, which would send the API key unencrypted .*nothing was sent.*STORYREEL_INSECURE_BASE_URL=1/,
      ),
    })
    expect(report.checks.find((c) => c.name === 'api')).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/not asked/),
    })
    expect(result.stdout).not.toMatch(/ENOTFOUND|EAI_AGAIN|failed \(/)

    const allowed = await runCli(['doctor'], { env: { ...env, STORYREEL_INSECURE_BASE_URL: '1' } })
    expect(allowed.stdout).toMatch(
      /ok\s+api key\s+WAVESPEED_API_KEY is set for http:\/\/api\.wavespeed\.invalid; plain http: the key crosses the network unencrypted/,
    )
    expect(allowed.stdout + allowed.stderr).not.toContain(KEY)
  })
})
