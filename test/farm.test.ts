import type { ChildProcess } from 'node:child_process'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { needsRedis, startRedis, type TestRedis } from '@storyreel/test-utils'
import { type Simulator, startSimulator } from '@storyreel/wavespeed-sim'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Manifest } from '../apps/cli/src/render/manifest.ts'
import { probe } from './helpers/media.ts'
import { type CliResult, hasStackTrace, runCli } from './helpers/run-cli.ts'
import { filesContaining, type Fixture, writeFixture } from './helpers/storyboard-fixture.ts'

const KEY = 'sk-farm-e2e-0123456789abcdef-SECRET'

/** Four chains of three shots: a text-to-video head, then two shots each from the last frame before it. */
const STORYBOARD = `version: 1
title: Farm proof
defaults:
  model: kling-v2.1-i2v-pro
  duration: 5
style: test pattern
output:
  file: farm.mp4
  width: 320
  height: 180
  fps: 24
shots:
${[0, 1, 2, 3]
  .map((c) =>
    [
      `  - id: c${c}s0\n    model: kling-v2.5-turbo-pro/text-to-video\n    prompt: Chain ${c} opens on a harbour.`,
      `  - id: c${c}s1\n    prompt: Chain ${c} moves along the pier.`,
      `  - id: c${c}s2\n    prompt: Chain ${c} ends at the lighthouse.`,
    ].join('\n'),
  )
  .join('\n')}
`

let redis: TestRedis
let sim: Simulator
let fixture: Fixture
const workers: ChildProcess[] = []

beforeAll(async () => {
  redis = await startRedis()
  // Same takes for the same request, so the local render below makes the farm's clips again.
  sim = await startSimulator({
    apiKey: KEY,
    latencyMs: 800,
    concurrency: 32,
    videoScale: 0.3,
    distinctTakes: false,
  })
  fixture = await writeFixture(STORYBOARD, 'farm.yaml')
})
afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL')
  await sim?.close()
  await redis?.close()
  if (fixture) await rm(fixture.dir, { recursive: true, force: true })
})

interface Worker {
  readonly child: ChildProcess
  readonly exited: Promise<CliResult>
  /** NDJSON log lines so far. */
  lines(): { state: string; shot?: string; predictionId?: string }[]
  errors(): string
}

function startWorker(...extra: string[]): Worker {
  let child!: ChildProcess
  let out = ''
  let err = ''
  const env = {
    WAVESPEED_API_KEY: KEY,
    WAVESPEED_BASE_URL: sim.url,
    STORYREEL_CACHE_DIR: join(fixture.dir, 'worker-cache'),
    STORYREEL_WORKER_LOCK_MS: '1500',
  }
  const exited = runCli(
    ['worker', '--redis', redis.url, '--concurrency', '4', '--store', 'store', '--json', ...extra],
    {
      cwd: fixture.dir,
      env,
      timeoutMs: 300_000,
      onSpawn: (c) => {
        child = c
        c.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()))
        c.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
      },
    },
  )
  workers.push(child)
  return {
    child,
    exited,
    errors: () => err,
    lines: () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { state: string; shot?: string }),
  }
}

async function until(condition: () => boolean, timeoutMs: number, state: () => string): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > end) throw new Error(`condition not met in time: ${state()}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

// Every test here talks to a Redis it started; a machine without redis-server skips them, saying so.
const withRedis = needsRedis()

describe.skipIf(withRedis.skip)(
  withRedis.title('storyreel worker and render --queue on a real redis-server'),
  () => {
    test('two workers and a third after one is SIGKILLed render 12 shots with 12 predictions, never more than 3 at once, into the reel a local render makes', async () => {
      const first = startWorker('--key-concurrency', '3')
      // The limit is the first worker's to set: a worker that starts without one takes the default (4)
      // until it is set, so the second starts only once the first is ready.
      await until(
        () => first.lines().some((l) => l.state === 'ready'),
        60_000,
        () => first.errors(),
      )
      const second = startWorker()
      // The CLI that enqueues has no key: the workers render with theirs.
      const rendering = runCli(
        [
          'render',
          'farm.yaml',
          '--queue',
          redis.url,
          '--store',
          'store',
          '--provider',
          'wavespeed',
          '--yes',
          '--json',
        ],
        { cwd: fixture.dir, timeoutMs: 280_000 },
      )

      // Killed while it holds a shot whose prediction is in flight, after the first shots completed.
      const holding = (w: Worker) => {
        const lines = w.lines()
        const done = new Set(lines.filter((l) => l.state === 'done').map((l) => l.shot))
        return done.size > 0 && lines.some((l) => l.state === 'started' && !done.has(l.shot))
      }
      await until(
        () => holding(first) || holding(second),
        90_000,
        () => JSON.stringify([first.lines(), second.lines(), first.errors(), second.errors()]),
      )
      const victim = holding(first) ? first : second
      const held = victim
        .lines()
        .filter(
          (l) =>
            l.state === 'started' && !victim.lines().some((d) => d.state === 'done' && d.shot === l.shot),
        )
        .map((l) => l.shot)
      victim.child.kill('SIGKILL')
      const third = startWorker()

      const result = await rendering
      expect(result.stderr).not.toSatisfy(hasStackTrace)
      expect(
        result.code,
        `${result.stderr}\n${[first, second, third].map((w) => w.errors() + JSON.stringify(w.lines().slice(-5))).join('\n')}`,
      ).toBe(0)
      expect(sim.stats().createdTotal).toBe(12)
      expect(sim.stats().maxOutstanding).toBeLessThanOrEqual(3)
      // Each shot the killed worker held was finished by another worker, on the prediction it had made.
      const survivors = [first, second, third].filter((w) => w !== victim).flatMap((w) => w.lines())
      for (const shot of held)
        expect(survivors.some((l) => l.shot === shot && (l.state === 'done' || l.state === 'cached'))).toBe(
          true,
        )

      const end = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as {
        status: string
        reel: string
        manifest: string
      }
      expect(end.status).toBe('completed')
      const farmManifest = JSON.parse(await readFile(end.manifest, 'utf8')) as Manifest

      // SIGTERM: the others hand back nothing (idle) and exit 0.
      for (const w of [first, second, third].filter((x) => x !== victim)) w.child.kill('SIGTERM')
      for (const w of [first, second, third].filter((x) => x !== victim))
        expect((await w.exited).code).toBe(0)

      const local = await runCli(['render', 'farm.yaml', '--out', 'local', '--yes', '--concurrency', '3'], {
        cwd: fixture.dir,
        env: {
          WAVESPEED_API_KEY: KEY,
          WAVESPEED_BASE_URL: sim.url,
          STORYREEL_CACHE_DIR: join(fixture.dir, 'local-cache'),
        },
        timeoutMs: 120_000,
      })
      expect(local.code, local.stderr).toBe(0)
      const localManifest = JSON.parse(
        await readFile(join(fixture.dir, 'local', 'manifest.json'), 'utf8'),
      ) as Manifest
      // A shot the killed worker had downloaded is reused from the run by the next one: "cached", as in a resumed local run.
      const facts = (m: Manifest) =>
        m.shots.map((s) => ({
          id: s.id,
          clipped: s.status === 'done' || s.status === 'cached',
          cacheKey: s.cacheKey,
          clip: s.clip?.sha256,
          image: s.params.image,
          frames: s.frames !== undefined,
        }))
      expect(facts(farmManifest)).toEqual(facts(localManifest))
      expect(farmManifest.reel?.sha256).toBe(localManifest.reel?.sha256)
      const reel = await probe(end.reel)
      expect(reel.frames).toBe((await probe(join(fixture.dir, 'local', 'farm.mp4'))).frames)

      // The key: never in the store, nor printed.
      expect(await filesContaining(join(fixture.dir, 'store'), KEY)).toEqual([])
      expect(result.stdout + result.stderr).not.toContain(KEY)
    }, 420_000)
  },
)
