import { readFile, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchChromium, needsChromium } from './helpers/browser.ts'
import { type ReviewProcess, startReview } from './helpers/review-process.ts'
import { type Fixture, writeFixture } from './helpers/storyboard-fixture.ts'

const BOARD = `# The review test board: this comment must survive a pick.
version: 1
title: Review <b>loop</b>
defaults:
  model: kling-v2.5-turbo-pro/text-to-video
  duration: 5
output:
  file: reel.mp4
  width: 320
  height: 180
shots:
  # the opening: two takes to choose from
  - id: open
    takes: 2   # keep both
    prompt: A lighthouse at night. <img src=x onerror=alert(1)>
  - id: beam
    model: kling-v2.1-i2v-pro
    prompt: The beam sweeps the sea.
`

/** Status and body of a raw request, with the Host header the test chooses. */
function send(
  url: string,
  options: { method?: string; host?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  const target = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: options.method ?? 'GET',
        headers: { host: options.host ?? target.host, ...options.headers },
      },
      (res) => {
        let body = ''
        res.on('data', (c: Buffer) => (body += c.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      },
    )
    req.on('error', reject)
    req.end(options.method === 'POST' ? '{}' : undefined)
  })
}

let browser: Browser
let fixture: Fixture
let review: ReviewProcess
const chromium = needsChromium()

beforeAll(async () => {
  fixture = await writeFixture(BOARD, 'review.yaml')
  const [launched, started] = await Promise.all([
    chromium.skip ? undefined : launchChromium(),
    startReview(['review.yaml'], { cwd: fixture.dir }),
  ])
  if (launched) browser = launched
  review = started
})
afterAll(async () => {
  if (review?.child.exitCode === null) await review.interrupt()
  await browser?.close()
  if (fixture) await rm(fixture.dir, { recursive: true, force: true })
})

const reelSrc = (page: Page) => page.getAttribute('#reel', 'src')
const staleIds = (page: Page) =>
  page.$$eval('section.shot[data-stale]', (rows) => rows.map((r) => r.getAttribute('data-shot')))

describe('storyreel review', () => {
  test('refuses a POST without the token and a foreign Host header (403)', async () => {
    expect(
      (
        await send(`${review.url}api/render`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(403)
    expect((await send(review.url, { host: 'evil.invalid' })).status).toBe(403)
    expect((await send(review.url, { host: `evil.invalid:${new URL(review.url).port}` })).status).toBe(403)
    expect((await send(review.url)).status).toBe(200)
  })

  test.skipIf(chromium.skip)(
    chromium.title(
      'render both takes, pick take 2, render the shot it made stale: the reel is swapped in; edits and errors arrive live; no console errors',
    ),
    { timeout: 180_000 },
    async () => {
      const page = await browser.newPage()
      const consoleErrors: string[] = []
      page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()))
      page.on('pageerror', (e) => consoleErrors.push(e.message))
      page.on('dialog', (d) => consoleErrors.push(`dialog: ${d.message()}`))
      page.on('response', (r) => r.status() >= 400 && consoleErrors.push(`${r.status()} ${r.url()}`))
      await page.goto(review.url)

      // Nothing rendered yet: every shot is stale; storyboard text is shown as text, never as markup.
      await page.waitForSelector('section.shot[data-shot="beam"]')
      expect(await staleIds(page)).toEqual(['open', 'beam'])
      expect(await page.textContent('#title')).toBe('Review <b>loop</b>')
      expect(await page.textContent('section[data-shot="open"] .prompt')).toContain(
        '<img src=x onerror=alert(1)>',
      )
      expect(await page.$$('#shots img, #title b')).toHaveLength(0)
      expect(await page.textContent('#stale-summary')).toBe(
        '2 stale shots · $0.00 (animatic, free) to refresh',
      )

      // `r` renders them; live progress arrives; the reel appears.
      await page.keyboard.press('r')
      await page.waitForSelector('#progress-shots li[data-shot="beam"]', { timeout: 60_000 })
      await page.waitForSelector('#reel[src]', { timeout: 90_000 })
      const firstReel = await reelSrc(page)
      expect(firstReel).toMatch(/^\/files\/reel\.mp4\?v=/)
      // The page's CSP forbids evaluating strings, so in-page checks are functions (typed loosely: no DOM library here).
      await expect
        .poll(() => page.$eval('#reel', (v) => (v as unknown as { readyState: number }).readyState), {
          timeout: 10_000,
        })
        .toBeGreaterThanOrEqual(1)
      expect(await staleIds(page)).toEqual([])
      expect(
        await page.getAttribute('section[data-shot="open"] figure[data-take="1"] video', 'poster'),
      ).toMatch(/^\/files\/takes\/open\/take-1\.first\.png\?v=/)

      // Both takes of "open" rendered, each its own (visibly different) animatic; take 1 is picked.
      expect(
        await page.$$eval('section[data-shot="open"] figure video', (videos) =>
          videos.map((v) => v.getAttribute('src')?.split('?')[0]),
        ),
      ).toEqual(['/files/takes/open/take-1.mp4', '/files/takes/open/take-2.mp4'])
      expect(await page.$$('section[data-shot="open"] figure.picked[data-take="1"]')).toHaveLength(1)

      // Pick take 2: the file says `pick: 2`, every comment and the rest of the file as they were; "beam"
      // starts from the last frame of "open", so it is stale now, and nothing else is.
      await page.click('section[data-shot="open"] button.pick[data-take="2"]')
      await page.waitForSelector('section[data-shot="open"] figure.picked[data-take="2"]')
      expect(await readFile(fixture.storyboard, 'utf8')).toBe(
        BOARD.replace('    takes: 2   # keep both\n', '    takes: 2   # keep both\n    pick: 2\n'),
      )
      await page.waitForSelector('section.shot[data-shot="beam"][data-stale]')
      expect(await staleIds(page)).toEqual(['beam'])
      expect(await page.textContent('section[data-shot="beam"] .badge.stale')).toBe(
        'stale: start image changed · $0.00 to refresh',
      )
      expect(await page.textContent('#stale-summary')).toBe(
        '1 stale shot · $0.00 (animatic, free) to refresh',
      )

      // The button renders just the stale shot and swaps in the new reel.
      await page.click('#render')
      await page.waitForSelector(`#reel[src]:not([src=${JSON.stringify(firstReel)}])`, { timeout: 90_000 })
      expect(await reelSrc(page)).toMatch(/^\/files\/reel\.mp4\?v=/)
      expect(
        await page.$eval('#progress-shots li[data-shot="open"]', (li) => li.getAttribute('data-state')),
      ).toBe('cached')
      expect(await staleIds(page)).toEqual([])

      // An edit saved in an editor reaches the page without a reload, within a second, and a take being
      // watched keeps playing through it.
      const watched = 'section[data-shot="open"] figure[data-take="1"] video'
      const playing = () => page.$eval(watched, (v) => !(v as unknown as { paused: boolean }).paused)
      await page.click(watched)
      await expect.poll(playing).toBe(true)
      const edited = (await readFile(fixture.storyboard, 'utf8')).replace(
        'The beam sweeps the sea.',
        'The beam sweeps the dark sea.',
      )
      const saved = Date.now()
      await writeFile(fixture.storyboard, edited)
      await page.waitForSelector('section.shot[data-shot="beam"][data-stale]', { timeout: 1000 })
      expect(Date.now() - saved).toBeLessThan(1000)
      expect(await page.textContent('section[data-shot="beam"] .badge.stale')).toBe(
        'stale: settings changed · $0.00 to refresh',
      )
      expect(await playing()).toBe(true)

      // A mistake shows the validation error at file:line:col, still without a reload.
      await writeFile(fixture.storyboard, edited.replace('    prompt: The beam', '    promt: The beam'))
      await page.waitForSelector('#issues:not([hidden])', { timeout: 1000 })
      expect(await page.textContent('#issue-list')).toMatch(
        /^review\.yaml:19:5: unknown key "promt" in shot "beam"; did you mean "prompt"\? \[CORE_UNKNOWN_KEY\]/,
      )

      expect(consoleErrors).toEqual([])
      await page.close()
      expect(await review.interrupt()).toBe(0)
    },
  )
})
