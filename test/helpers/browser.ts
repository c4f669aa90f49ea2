import { findOnPath, needs } from '@storyreel/test-utils'
import { type Browser, chromium } from 'playwright-core'
import { expect } from 'vitest'

// Found on PATH (Debian's package puts it in /usr/bin), so a machine without it skips the browser tests.
const CHROMIUM = process.env.CHROMIUM_PATH || findOnPath('chromium') || findOnPath('chromium-browser')

/** For tests that open a page in chromium. */
export const needsChromium = () =>
  needs('chromium', CHROMIUM, 'none on PATH and CHROMIUM_PATH unset; apt-get install chromium')

/** Debian's chromium, headless, with everything that would reach the network turned off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM ?? 'chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export interface VideoState {
  readonly src: string
  readonly readyState: number
  readonly duration: number
  readonly error: number | null
}

export interface PageCheck {
  readonly consoleErrors: string[]
  readonly failedRequests: string[]
  readonly externalRequests: string[]
  readonly videos: VideoState[]
  readonly brokenImages: string[]
}

/** Opens `url`, waits for every video's metadata (or an error), and reports what a director would notice. */
export async function checkPage(browser: Browser, url: string): Promise<PageCheck> {
  const page = await browser.newPage()
  const origin = new URL(url).origin
  const consoleErrors: string[] = []
  const failedRequests: string[] = []
  const externalRequests: string[] = []
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()))
  page.on('pageerror', (e) => consoleErrors.push(e.message))
  page.on('requestfailed', (r) => {
    // With preload="metadata" the browser reads the header and then aborts the rest of the file on purpose.
    if (r.resourceType() === 'media' && r.failure()?.errorText === 'net::ERR_ABORTED') return
    failedRequests.push(`${r.url()} ${r.failure()?.errorText ?? ''}`)
  })
  page.on('request', (r) => {
    const target = new URL(r.url())
    if (target.protocol !== 'data:' && target.origin !== origin && target.protocol !== 'file:')
      externalRequests.push(r.url())
  })
  await page.goto(url, { waitUntil: 'load' })
  // In-page code as strings: this package is type-checked without the DOM library (it would clash with Node's fetch types).
  await page.waitForFunction(
    `[...document.querySelectorAll('video')].every((v) => v.readyState >= 1 || v.error !== null)`,
    undefined,
    { timeout: 20_000 },
  )
  const videos = (await page.evaluate(
    `[...document.querySelectorAll('video')].map((v) => ({ src: v.getAttribute('src') ?? '', readyState: v.readyState, duration: v.duration, error: v.error?.code ?? null }))`,
  )) as VideoState[]
  const brokenImages =
    (await page.evaluate(`Promise.all([...document.querySelectorAll('img')].map(async (img) => {
    img.loading = 'eager'
    await img.decode().catch(() => undefined)
    return img.naturalWidth === 0 ? img.getAttribute('src') ?? '' : ''
  })).then((srcs) => srcs.filter(Boolean))`)) as string[]
  await page.close()
  return { consoleErrors, failedRequests, externalRequests, videos, brokenImages }
}

/** A page a user can trust: nothing logged an error, nothing failed or left the machine, every image drew. */
export function expectCleanPage(page: PageCheck): void {
  expect(page.consoleErrors).toEqual([])
  expect(page.failedRequests).toEqual([])
  expect(page.externalRequests).toEqual([])
  expect(page.brokenImages).toEqual([])
}
