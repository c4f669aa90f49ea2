import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type Simulator, startSimulator } from '@storyreel/wavespeed-sim'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Manifest } from '../apps/cli/src/render/manifest.ts'
import { meanDifference, probe, rgb } from './helpers/media.ts'
import { type CliResult, hasStackTrace, runCli } from './helpers/run-cli.ts'
import {
  CHAINED,
  CHAINS_REEL_SECONDS,
  filesContaining,
  type Fixture,
  writeFixture,
} from './helpers/storyboard-fixture.ts'

const KEY = 'sk-e2e-0123456789abcdef-SECRET'
let sim: Simulator
let fixture: Fixture
let first: CliResult
let out: string

const env = () => ({
  WAVESPEED_API_KEY: KEY,
  WAVESPEED_BASE_URL: sim.url,
  STORYREEL_CACHE_DIR: fixture.cacheDir,
})
const render = (...extra: string[]) =>
  runCli(['render', fixture.storyboard, '--out', out, '--yes', '--concurrency', '3', ...extra], {
    cwd: fixture.dir,
    env: env(),
  })
const manifest = async () => JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Manifest

beforeAll(async () => {
  sim = await startSimulator({ apiKey: KEY, latencyMs: 300, concurrency: 4, videoScale: 0.3 })
  fixture = await writeFixture()
  out = join(fixture.dir, 'run')
  first = await render()
}, 120_000)
afterAll(async () => {
  await sim?.close()
  if (fixture) await rm(fixture.dir, { recursive: true, force: true })
})

describe('storyreel render against the simulator', () => {
  test('renders every chain and leaves the whole run directory behind', async () => {
    expect(first.stderr).not.toSatisfy(hasStackTrace)
    expect(first.code, first.stderr).toBe(0)
    const m = await manifest()
    expect(m.status).toBe('completed')
    expect(m.shots.map((s) => [s.id, s.status])).toEqual(
      ['a1', 'a2', 'b1', 'b2', 'c1'].map((id) => [id, 'done']),
    )
    for (const file of [
      'chains.mp4',
      'contact-sheet.png',
      'report.html',
      'journal.ndjson',
      ...m.shots.flatMap((s) => [`shots/${s.id}.mp4`, `frames/${s.id}.first.png`, `frames/${s.id}.last.png`]),
    ]) {
      await expect(readFile(join(out, file)), file).resolves.toBeTruthy()
    }
    expect(first.stdout).toContain('Reel: run/chains.mp4')
  })

  test('the reel lasts every shot less the dropped seam frames', async () => {
    const reel = await probe(join(out, 'chains.mp4'))
    expect(reel.videoDuration ?? reel.duration).toBeCloseTo(CHAINS_REEL_SECONDS, 1)
    expect(reel.frames).toBe(Math.round(CHAINS_REEL_SECONDS * 24))
  })

  test("each chained shot was submitted with the previous clip's actual last frame (pixels compared)", async () => {
    const m = await manifest()
    const size = { width: 96, height: 54 }
    for (const [shot, upstream] of CHAINED) {
      const predictionId = m.shots.find((s) => s.id === shot)!.attempts.at(-1)!.predictionId
      const submission = sim.submissions().find((s) => s.id === predictionId)!
      const image = submission.images.find((i) => i.field === 'image')!
      const sent = Buffer.from(await (await fetch(image.ref)).arrayBuffer())
      const sentPath = join(fixture.dir, `${shot}.sent.png`)
      await writeFile(sentPath, sent)
      // Decode the upstream clip ourselves, independent of the scheduler's own extraction.
      const lastFrame = await rgb(join(out, 'shots', `${upstream}.mp4`), size, 'last')
      const firstFrame = await rgb(join(out, 'shots', `${upstream}.mp4`), size, 'first')
      const submitted = await rgb(sentPath, size)
      expect(meanDifference(submitted, lastFrame), `${shot} vs last frame of ${upstream}`).toBeLessThan(2)
      // And not merely any frame of it: the first one differs visibly.
      expect(meanDifference(submitted, firstFrame), `${shot} vs first frame of ${upstream}`).toBeGreaterThan(
        3,
      )
    }
  })

  test('the manifest matches what the simulator recorded', async () => {
    const m = await manifest()
    const created = sim.submissions().filter((s) => s.id)
    expect(m.ledger.map((l) => l.predictionId).sort()).toEqual(created.map((s) => s.id).sort())
    expect(sim.stats().createdTotal).toBe(5)
    for (const shot of m.shots) {
      const submission = created.find((s) => s.id === shot.attempts.at(-1)!.predictionId)!
      expect(submission.model).toBe(shot.model)
      const { image: _image, ...params } = shot.params
      const { image: _sentImage, ...sent } = submission.params
      expect(sent).toEqual(params)
      expect(submission.dropped).toEqual([])
      if (shot.params.image?.kind === 'file' || shot.params.image?.kind === 'last-frame') {
        expect(submission.images.find((i) => i.field === 'image')?.sha256).toBe(shot.params.image.sha256)
      }
    }
    expect(m.totals.cost).toBeCloseTo(sim.stats().charged, 2)
  })

  test('no file in the run directory, and nothing printed, contains the API key', async () => {
    expect(await filesContaining(out, KEY)).toEqual([])
    expect(first.stdout + first.stderr).not.toContain(KEY)
  })

  test('a second run of the same storyboard creates no prediction (and --json prints only NDJSON events on stdout)', async () => {
    const before = sim.stats().createdTotal
    const again = await render('--json')
    expect(again.code, again.stderr).toBe(0)
    expect(sim.stats().createdTotal).toBe(before)
    // Every notice too, the estimate included: stdout is the whole story, stderr stays empty.
    expect(again.stdout).toMatch(
      /"type":"note","message":"Will submit 0 predictions.*5 shots already rendered/,
    )
    expect(again.stderr).toBe('')
    // With --json, messages about the reel come as note events on stdout.
    expect(again.stdout).toMatch(/"type":"note","message":"The reel is up to date/)
    expect((await manifest()).totals.cost).toBe(0)
    const events = again.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; shot?: string; state?: string })
    expect(
      events
        .filter((e) => e.type === 'shot' && e.state === 'cached')
        .map((e) => e.shot)
        .sort(),
    ).toEqual(['a1', 'a2', 'b1', 'b2', 'c1'])
    expect(events.at(-1)).toMatchObject({
      type: 'result',
      status: 'completed',
      spent: 0,
      reel: join(out, 'chains.mp4'),
    })
  }, 90_000)
})
