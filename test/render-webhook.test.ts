import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Simulator, startSimulator } from '@storyreel/wavespeed-sim'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runCli } from './helpers/run-cli.ts'

const KEY = 'sk-e2e-webhook-0123456789-SECRET'
const STORYBOARD = `version: 1
output: { file: reel.mp4 }
shots:
  - id: a
    model: kling-v2.5-turbo-pro/text-to-video
    prompt: A lighthouse at night.
`
let sim: Simulator
let dir: string
const env = () => ({
  WAVESPEED_API_KEY: KEY,
  WAVESPEED_BASE_URL: sim.url,
  STORYREEL_CACHE_DIR: join(dir, 'cache'),
})

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

beforeAll(async () => {
  // Long enough that polling alone would not notice completion at once: the delivery does.
  sim = await startSimulator({ apiKey: KEY, latencyMs: 4000, concurrency: 4, videoScale: 0.2 })
  dir = await mkdtemp(join(tmpdir(), 'storyreel-webhook-'))
  await writeFile(join(dir, 'board.yaml'), STORYBOARD)
})
afterAll(async () => {
  await sim?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('render --webhook-url', () => {
  test('completions arrive by webhook on 127.0.0.1:PORT, before any poll', { timeout: 90_000 }, async () => {
    const port = await freePort()
    const result = await runCli(
      [
        'render',
        'board.yaml',
        '--yes',
        '--out',
        'hooked',
        '--webhook-url',
        `http://127.0.0.1:${port}`,
        '--webhook-port',
        String(port),
      ],
      { cwd: dir, env: env() },
    )
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toContain(`Webhook receiver listening on http://127.0.0.1:${port}`)
    expect(sim.stats().webhooks).toEqual([expect.objectContaining({ delivered: true, status: 200 })])
    // The fallback's first poll would come later than this 4 s render: the delivery finished the wait.
    expect(sim.timelines().map((t) => t.resultRequests)).toEqual([0])
  })

  test(
    "render times are kept in the cache directory, per API, for the next run's polling",
    { timeout: 90_000 },
    async () => {
      const result = await runCli(['render', 'board.yaml', '--yes', '--force', '--out', 'polled'], {
        cwd: dir,
        env: env(),
      })
      expect(result.code, result.stderr).toBe(0)
      const files = (await readdir(join(dir, 'cache'))).filter((f) => f.startsWith('render-times-'))
      expect(files).toHaveLength(1)
      expect(await readFile(join(dir, 'cache', files[0]!), 'utf8')).toContain(
        'kling-v2.5-turbo-pro/text-to-video',
      )
    },
  )

  test('--webhook-port without --webhook-url, and webhooks for an animatic, are usage errors', async () => {
    const lone = await runCli(['render', 'board.yaml', '--webhook-port', '8787'], { cwd: dir, env: {} })
    expect(lone.code).toBe(2)
    expect(lone.stderr).toContain('--webhook-port needs --webhook-url')
    const animatic = await runCli(['render', 'board.yaml', '--webhook-url', 'https://example.com'], {
      cwd: dir,
      env: { STORYREEL_CACHE_DIR: join(dir, 'cache') },
    })
    expect(animatic.code).toBe(2)
    expect(animatic.stderr).toContain('--webhook-url is for renders on WaveSpeed')
  })
})
