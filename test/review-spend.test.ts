import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type Simulator, startSimulator } from '@storyreel/wavespeed-sim'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchChromium, needsChromium } from './helpers/browser.ts'
import { startReview } from './helpers/review-process.ts'
import { runCli } from './helpers/run-cli.ts'
import { filesContaining, type Fixture, writeFixture } from './helpers/storyboard-fixture.ts'

const KEY = 'sk-review-0123456789abcdef-SECRET'

/** Four takes of one master shot at $1.30 each: $5.20, just above the $5 that needs confirming. */
const BOARD = `version: 1
title: Over five dollars
output:
  width: 320
  height: 180
shots:
  - id: one
    model: kling-v2.1-t2v-master
    takes: 4
    prompt: Shot one.
`

/** Two cheap shots: under $5, so nothing is asked. */
const SLOW_BOARD = `version: 1
title: Slow renders
defaults:
  model: kling-v2.5-turbo-pro/text-to-video
output:
  width: 320
  height: 180
shots:
  - id: one
    prompt: Shot one.
  - id: two
    prompt: Shot two.
`

let sim: Simulator
let fixture: Fixture
let browser: Browser
const chromium = needsChromium()

beforeAll(async () => {
  ;[sim, fixture, browser] = await Promise.all([
    startSimulator({ apiKey: KEY, latencyMs: 200, concurrency: 4, videoScale: 0.2 }),
    writeFixture(BOARD, 'spend.yaml'),
    launchChromium(),
  ])
})
afterAll(async () => {
  await Promise.all([sim?.close(), browser?.close()])
  if (fixture) await rm(fixture.dir, { recursive: true, force: true })
})

const review = (...extra: string[]) =>
  startReview(['spend.yaml', ...extra], {
    cwd: fixture.dir,
    env: { WAVESPEED_API_KEY: KEY, WAVESPEED_BASE_URL: sim.url },
  })

async function openPage(url: string, lastShot = 'one'): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage()
  const errors: string[] = []
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(url)
  await page.waitForSelector(`section.shot[data-shot="${lastShot}"]`)
  return { page, errors }
}

// Every test here opens a page; with all of them skipped, vitest runs none of the hooks above either.
describe.skipIf(chromium.skip)(chromium.title('storyreel review spending money (simulator)'), () => {
  test(
    '--max-cost refuses the render on the page; above $5 the page asks; Cancel submits nothing, yes renders',
    { timeout: 120_000 },
    async () => {
      const capped = await review('--max-cost', '5')
      try {
        const { page, errors } = await openPage(capped.url)
        expect(await page.textContent('#stale-summary')).toBe('1 stale shot · $5.20 to refresh')
        expect(await page.textContent('section[data-shot="one"] .badge.stale')).toBe(
          'stale: new shot · $5.20 to refresh',
        )
        await page.click('#render')
        await page.waitForSelector('#progress[data-status="failed"]')
        expect(await page.textContent('#progress-notes')).toContain(
          'is over --max-cost $5.00: nothing was submitted',
        )
        expect(errors).toEqual([])
      } finally {
        expect(await capped.interrupt()).toBe(0)
      }
      expect(sim.stats().createdTotal).toBe(0)

      const open = await review()
      try {
        const { page, errors } = await openPage(open.url)
        await page.click('#render')
        await page.waitForSelector('#question:not([hidden])')
        expect(await page.textContent('#question-text')).toBe('Spend about $5.20 on WaveSpeed?')
        await page.click('#question-no')
        await page.waitForSelector('#progress[data-status="declined"]')
        expect(sim.stats().createdTotal).toBe(0)

        await page.click('#render')
        await page.click('#question-yes')
        await page.waitForSelector('#reel[src]', { timeout: 90_000 })
        expect(sim.stats().createdTotal).toBe(4)
        expect(await page.textContent('#stale-summary')).toBe('every shot is up to date')
        expect(errors).toEqual([])
      } finally {
        expect(await open.interrupt()).toBe(0)
      }
      // The key went nowhere: not the run directory, not the cache, not the command's output.
      expect(await filesContaining(fixture.dir, KEY)).toEqual([])
      expect(open.stderr()).not.toContain(KEY)
    },
  )
})

describe.skipIf(chromium.skip)(chromium.title('Ctrl-C with a render in flight'), () => {
  test(
    "stops it as render's Ctrl-C does: the run is recorded as interrupted, and the next render pays nothing twice",
    { timeout: 120_000 },
    async () => {
      // Slow renders, so the predictions are still running when Ctrl-C comes.
      const slow = await startSimulator({ apiKey: KEY, latencyMs: 6000, concurrency: 4, videoScale: 0.2 })
      try {
        const env = { WAVESPEED_API_KEY: KEY, WAVESPEED_BASE_URL: slow.url }
        await writeFile(join(fixture.dir, 'slow.yaml'), SLOW_BOARD)
        const server = await startReview(['slow.yaml'], { cwd: fixture.dir, env })
        const { page } = await openPage(server.url, 'two')
        await page.click('#render')
        await expect.poll(() => slow.stats().createdTotal, { timeout: 30_000 }).toBe(2)
        expect(await server.interrupt()).toBe(130)
        expect(server.stderr()).toContain('The render was interrupted')
        const manifest = JSON.parse(
          await readFile(join(fixture.dir, 'renders', 'slow', 'manifest.json'), 'utf8'),
        ) as { status: string }
        expect(manifest.status).toBe('interrupted')

        const again = await runCli(['render', 'slow.yaml', '--yes'], {
          cwd: fixture.dir,
          env: { ...env, STORYREEL_CACHE_DIR: join(fixture.dir, 'cache') },
        })
        expect(again.code, again.stderr).toBe(0)
        expect(slow.stats().createdTotal).toBe(2)
      } finally {
        await slow.close()
      }
    },
  )
})
