import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { type Simulator, startSimulator } from '@storyreel/wavespeed-sim'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Manifest } from '../apps/cli/src/render/manifest.ts'
import { probe } from './helpers/media.ts'
import { type CliOptions, hasStackTrace, runCli } from './helpers/run-cli.ts'
import { CHAINS_STORYBOARD, type Fixture, writeFixture } from './helpers/storyboard-fixture.ts'

const KEY = 'sk-e2e-resume-SECRET-7'
let sim: Simulator
let fixture: Fixture
let out: string

const env = () => ({
  WAVESPEED_API_KEY: KEY,
  WAVESPEED_BASE_URL: sim.url,
  STORYREEL_CACHE_DIR: fixture.cacheDir,
})
const cli = (args: string[], onSpawn?: CliOptions['onSpawn']) =>
  runCli(args, { cwd: fixture.dir, env: env(), ...(onSpawn ? { onSpawn } : {}) })

beforeAll(async () => {
  // Slow enough renders that Ctrl-C lands while predictions are in flight.
  sim = await startSimulator({ apiKey: KEY, latencyMs: 2500, concurrency: 4, videoScale: 0.3 })
  fixture = await writeFixture()
  out = join(fixture.dir, 'run')
})
afterAll(async () => {
  await sim?.close()
  if (fixture) await rm(fixture.dir, { recursive: true, force: true })
})

async function journalTypes(): Promise<string[]> {
  const text = await readFile(join(out, 'journal.ndjson'), 'utf8').catch(() => '')
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { type: string }).type)
}

describe('interrupting and resuming a paid run', () => {
  test('Ctrl-C stops submitting, exits 130 saying how to resume; the same command then finishes paying each shot once', async () => {
    const interrupted = await cli(['render', fixture.storyboard, '--out', out, '--yes'], (child) => {
      void (async () => {
        while (!(await journalTypes()).includes('submitted')) await sleep(50)
        child.kill('SIGINT')
      })()
    })
    expect(interrupted.code, interrupted.stderr).toBe(130)
    expect(interrupted.stderr).toMatch(/run the same command again/)
    expect(interrupted.stderr).not.toSatisfy(hasStackTrace)
    const paidBefore = sim.stats().createdTotal
    expect(paidBefore).toBeGreaterThan(0)
    expect(paidBefore).toBeLessThan(5)
    expect((JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Manifest).status).toBe(
      'interrupted',
    )

    const status = await cli(['status', out])
    expect(status.code).toBe(0)
    expect(status.stdout).toMatch(/a1\s+(rendering|done)/)

    const resumed = await cli(['render', fixture.storyboard, '--out', out, '--yes'])
    expect(resumed.code, resumed.stderr).toBe(0)
    // One prediction per shot over both runs: the interrupted ones were re-attached, not paid again.
    expect(sim.stats().createdTotal).toBe(5)
    const after = await cli(['status', out, '--json'])
    const shots = (JSON.parse(after.stdout) as { shots: { shot: string; state: string }[] }).shots
    expect(shots.map((s) => [s.shot, s.state])).toEqual(
      ['a1', 'a2', 'b1', 'b2', 'c1'].map((id) => [id, 'done']),
    )
  }, 120_000)

  test("assemble re-stitches with the storyboard's new transitions and renders nothing", async () => {
    const before = await probe(join(out, 'chains.mp4'))
    await writeFile(
      fixture.storyboard,
      CHAINS_STORYBOARD.replace(
        '  fps: 24\n',
        '  fps: 24\n  transition: { type: crossfade, duration: 0.5 }\n',
      ),
    )
    const paid = sim.stats().createdTotal
    const result = await cli(['assemble', out])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/storyboard changed/)
    expect(sim.stats().createdTotal).toBe(paid)
    const after = await probe(join(out, 'chains.mp4'))
    // Four joins, each crossfade overlapping 0.5 s.
    expect((before.videoDuration ?? before.duration) - (after.videoDuration ?? after.duration)).toBeCloseTo(
      2,
      0,
    )
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Manifest
    expect(manifest.reel!.duration).toBeCloseTo(after.videoDuration ?? after.duration, 1)

    // Back to plain cuts: render notices the storyboard changed and stitches again rather than keeping the reel.
    await writeFile(fixture.storyboard, CHAINS_STORYBOARD)
    const rerender = await cli(['render', fixture.storyboard, '--out', out, '--yes'])
    expect(rerender.code, rerender.stderr).toBe(0)
    expect(rerender.stderr).not.toMatch(/up to date/)
    expect(sim.stats().createdTotal).toBe(paid)
    const restored = await probe(join(out, 'chains.mp4'))
    expect(restored.videoDuration ?? restored.duration).toBeCloseTo(
      before.videoDuration ?? before.duration,
      1,
    )
  }, 90_000)

  test('assembling after an edit was reverted warns nothing, however often', async () => {
    await writeFile(
      fixture.storyboard,
      CHAINS_STORYBOARD.replace(
        '  fps: 24\n',
        '  fps: 24\n  transition: { type: crossfade, duration: 0.5 }\n',
      ),
    )
    const edited = await cli(['assemble', out])
    expect(edited.code, edited.stderr).toBe(0)
    expect(edited.stderr).toMatch(/storyboard changed/)
    await writeFile(fixture.storyboard, CHAINS_STORYBOARD)
    for (const time of ['first', 'second']) {
      const reverted = await cli(['assemble', out])
      expect(reverted.code, reverted.stderr).toBe(0)
      expect(reverted.stderr, `the ${time} assemble after the revert`).not.toMatch(/storyboard changed/)
    }
  }, 120_000)

  test('assemble and status on a directory that is not a run say what to do', async () => {
    for (const command of ['assemble', 'status']) {
      const result = await cli([command, fixture.dir + '/nowhere'])
      expect(result.code).toBe(1)
      expect(result.stderr).toMatch(/storyreel render FILE --out/)
      expect(result.stderr).not.toSatisfy(hasStackTrace)
    }
  })
})
