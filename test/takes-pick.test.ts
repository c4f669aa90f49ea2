import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type Simulator, startSimulator } from '@storyreel/wavespeed-sim'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Manifest } from '../apps/cli/src/render/manifest.ts'
import { meanDifference, rgb } from './helpers/media.ts'
import { hasStackTrace, runCli } from './helpers/run-cli.ts'
import { type Fixture, writeFixture } from './helpers/storyboard-fixture.ts'

/** storm (text-to-video, three takes) → deck → rescue, each chained from the last frame of the one before. */
const STORYBOARD = `version: 1
title: Takes
defaults:
  model: kling-v2.1-i2v-pro
  duration: 5
output:
  file: takes.mp4
  width: 320
  height: 180
  fps: 24
shots:
  - id: storm
    model: kling-v2.5-turbo-pro/text-to-video
    prompt: A storm at sea.
    takes: 3 # the hero shot: three tries
  - id: deck
    prompt: Waves break over the deck.
  - id: rescue
    prompt: The rescue boat comes alongside.
`

const KEY = 'sk-e2e-takes-0123456789abcdef'
let sim: Simulator
let fixture: Fixture

const cli = (...args: string[]) =>
  runCli(args, {
    cwd: fixture.dir,
    env: { WAVESPEED_API_KEY: KEY, WAVESPEED_BASE_URL: sim.url, STORYREEL_CACHE_DIR: fixture.cacheDir },
    timeoutMs: 150_000,
  })
const out = () => join(fixture.dir, 'run')
const render = () => cli('render', fixture.storyboard, '--out', out(), '--yes', '--concurrency', '4')
const manifest = async () => JSON.parse(await readFile(join(out(), 'manifest.json'), 'utf8')) as Manifest
const created = () => sim.stats().createdTotal

beforeAll(async () => {
  sim = await startSimulator({ apiKey: KEY, latencyMs: 200, concurrency: 8, videoScale: 0.3 })
  fixture = await writeFixture(STORYBOARD, 'takes.yaml')
}, 30_000)
afterAll(async () => {
  await sim?.close()
  if (fixture) await rm(fixture.dir, { recursive: true, force: true })
})

test(
  'takes, pick, render: every take once, the chain once from the pick, then exactly what the pick and a raise change',
  { timeout: 600_000 },
  async () => {
    // The estimate, --max-cost and the confirmation count every take: 3 × $0.35 + 2 × $0.45.
    const capped = await cli('render', fixture.storyboard, '--out', out(), '--yes', '--max-cost', '1.50')
    expect(capped.code).toBe(1)
    expect(capped.stderr).toContain('Will submit 5 predictions, estimated $1.95')
    expect(capped.stderr).toContain('over --max-cost $1.50')
    expect(created()).toBe(0)

    const first = await render()
    expect(first.code, first.stderr).toBe(0)
    expect(created()).toBe(3 + 2)
    const m1 = await manifest()
    const storm = m1.shots.find((s) => s.id === 'storm')!
    expect(storm.pick).toBe(1)
    expect(storm.takes!.map((t) => [t.take, t.status, t.picked, t.clip?.file])).toEqual([
      [1, 'done', true, 'takes/storm/take-1.mp4'],
      [2, 'done', false, 'takes/storm/take-2.mp4'],
      [3, 'done', false, 'takes/storm/take-3.mp4'],
    ])
    expect(new Set(storm.takes!.map((t) => t.predictionId)).size).toBe(3)
    expect(m1.shots.find((s) => s.id === 'deck')!.takes!.map((t) => t.take)).toEqual([1])
    const report = await readFile(join(out(), 'report.html'), 'utf8')
    expect(report).toContain('class="take picked" data-take="1"')
    expect(report).toContain('src="takes/storm/take-3.mp4"')

    // A shot that does not exist, and a take that was never rendered: exit 1, one clear line each.
    const unknown = await cli('pick', fixture.storyboard, 'strom', '2', '--out', out())
    expect([unknown.code, unknown.stderr]).toEqual([
      1,
      expect.stringContaining('has no shot "strom". Its shots: storm, deck, rescue'),
    ])
    const missing = await cli('pick', fixture.storyboard, 'storm', '5', '--out', out())
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('Take 5 of "storm" has not been rendered')
    expect(missing.stderr).toContain('the rendered takes of "storm" are 1, 2, 3')
    expect(missing.stderr).not.toSatisfy(hasStackTrace)

    const before = await readFile(fixture.storyboard, 'utf8')
    const pick = await cli('pick', fixture.storyboard, 'storm', '2', '--out', out())
    expect(pick.code, pick.stderr).toBe(0)
    expect(pick.stdout).toContain('Picked take 2 of "storm" (was 1)')
    expect(pick.stdout).toContain('2 shots must render again: 2 predictions, $0.90')
    expect(pick.stdout).toMatch(/deck\s+take 1\s+start image changed/)
    expect(pick.stdout).toMatch(/rescue\s+take 1\s+start image changed/)
    const after = await readFile(fixture.storyboard, 'utf8')
    expect(after).toBe(
      before.replace(
        '    takes: 3 # the hero shot: three tries\n',
        '    takes: 3 # the hero shot: three tries\n    pick: 2\n',
      ),
    )
    expect(created()).toBe(5) // pick renders nothing

    const second = await render()
    expect(second.code, second.stderr).toBe(0)
    expect(created()).toBe(5 + 2)
    const m2 = await manifest()
    expect(m2.shots.find((s) => s.id === 'storm')!.takes!.map((t) => t.picked)).toEqual([false, true, false])
    // deck's new prediction was sent take 2's last frame: pixels compared with our own decode of take 2's clip.
    const deck = m2.shots.find((s) => s.id === 'deck')!
    const image = sim
      .submissions()
      .find((s) => s.id === deck.takes![0]!.predictionId)!
      .images.find((i) => i.field === 'image')!
    const sentPath = join(fixture.dir, 'deck.sent.png')
    await writeFile(sentPath, Buffer.from(await (await fetch(image.ref)).arrayBuffer()))
    const size = { width: 96, height: 54 }
    const sent = await rgb(sentPath, size)
    expect(meanDifference(sent, await rgb(join(out(), 'takes/storm/take-2.mp4'), size, 'last'))).toBeLessThan(
      2,
    )
    expect(
      meanDifference(sent, await rgb(join(out(), 'takes/storm/take-1.mp4'), size, 'last')),
    ).toBeGreaterThan(3)

    await writeFile(fixture.storyboard, after.replace('takes: 3', 'takes: 4'))
    const raised = await render()
    expect(raised.code, raised.stderr).toBe(0)
    expect(created()).toBe(7 + 1)

    const again = await render()
    expect(again.code, again.stderr).toBe(0)
    expect(created()).toBe(8)
  },
)
