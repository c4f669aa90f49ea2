import { startSimulator } from '@storyreel/wavespeed-sim'
import { describe, expect, test } from 'vitest'
import { runCli } from './helpers/run-cli.ts'

const KEY = 'sk-doctor-SECRET-99'

describe('storyreel doctor', () => {
  test('finds ffmpeg with the filters a render needs, and says the key is set without showing it', async () => {
    const sim = await startSimulator({ apiKey: KEY, balance: 42.5 })
    try {
      const result = await runCli(['doctor', '--online'], { env: { WAVESPEED_API_KEY: KEY, WAVESPEED_BASE_URL: sim.url } })
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

  test('a wrong key fails the online check with the API\'s reason, exit 1', async () => {
    const sim = await startSimulator({ apiKey: KEY })
    try {
      const result = await runCli(['doctor', '--online', '--json'], { env: { WAVESPEED_API_KEY: 'sk-not-this-one', WAVESPEED_BASE_URL: sim.url } })
      expect(result.code).toBe(1)
      const report = JSON.parse(result.stdout) as { ok: boolean; checks: { name: string; ok: boolean; detail: string }[] }
      expect(report.ok).toBe(false)
      expect(report.checks.find((c) => c.name === 'api')).toMatchObject({ ok: false, detail: expect.stringMatching(/key/i) })
      expect(result.stdout).not.toContain('sk-not-this-one')
    } finally {
      await sim.close()
    }
  })
})
