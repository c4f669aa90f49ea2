import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { FFMPEG } from '@storyreel/test-utils'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Manifest } from '../apps/cli/src/render/manifest.ts'
import { reportPage } from '../apps/cli/src/render/report/report-page.ts'
import { checkPage, expectCleanPage, launchChromium, needsChromium } from './helpers/browser.ts'
import { serveDirectory } from './helpers/static-server.ts'

const run = promisify(execFile)
let browser: Browser
const chromium = needsChromium()
let dir: string

/** A run directory as `render` leaves it, with real (tiny) H.264 clips and PNG frames. */
async function fakeRunDir(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'storyreel report '))
  await mkdir(join(root, 'shots'))
  await mkdir(join(root, 'frames'))
  const clip = (dest: string, seconds: number) =>
    run(FFMPEG, [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=160x90:rate=12:duration=${seconds}`,
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-movflags',
      '+faststart',
      dest,
    ])
  await Promise.all([
    clip(join(root, 'reel #1.mp4'), 3),
    clip(join(root, 'shots', 'a.mp4'), 1),
    clip(join(root, 'shots', 'b.mp4'), 2),
  ])
  for (const id of ['a', 'b'])
    for (const end of ['first', 'last'])
      await run(FFMPEG, [
        '-v',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=160x90',
        '-frames:v',
        '1',
        join(root, 'frames', `${id}.${end}.png`),
      ])
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString()
  const shot = (id: string, seconds: number, dependsOn: string[]) => ({
    id,
    index: 0,
    model: 'kwaivgi/kling-v2.1-i2v-pro',
    status: 'done' as const,
    params: { prompt: `</script><img src=x onerror=alert(1)> shot ${id}`, duration: seconds },
    dependsOn,
    attempts: [{ predictionId: `p-${id}`, cost: 0.45 }],
    timings: {
      queuedAt: at(0),
      submittedAt: at(dependsOn.length ? 5 : 0),
      completedAt: at(dependsOn.length ? 9 : 5),
    },
    cost: 0.45,
    clip: { file: `shots/${id}.mp4` },
    frames: { first: `frames/${id}.first.png`, last: `frames/${id}.last.png` },
  })
  const manifest: Manifest = {
    manifestVersion: 1,
    storyreelVersion: '0.0.0',
    storyboard: { path: '/boards/x.yaml', sha256: 'h', title: 'Report <test>' },
    provider: 'animatic',
    status: 'completed',
    createdAt: at(0),
    finishedAt: at(10),
    concurrency: 2,
    reel: { file: 'reel #1.mp4', duration: 3 },
    shots: [shot('a', 1, []), shot('b', 2, ['a'])],
    totals: {
      shots: 2,
      rendered: 2,
      cached: 0,
      failed: 0,
      skipped: 0,
      estimatedCost: 0.9,
      cost: 0.9,
      videoSeconds: 3,
      wallMs: 10_000,
    },
    ledger: [],
  }
  await writeFile(join(root, 'report.html'), reportPage(manifest))
  return root
}

beforeAll(async () => {
  ;[browser, dir] = await Promise.all([launchChromium(), fakeRunDir()])
})
afterAll(async () => {
  await browser?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

// Every test here opens a page; with all of them skipped, vitest runs none of the hooks above either.
describe.skipIf(chromium.skip)(chromium.title('report.html in a real browser'), () => {
  test('over HTTP: no console errors, nothing external, every video and thumbnail loads', async () => {
    const server = await serveDirectory(dir)
    try {
      const page = await checkPage(browser, `${server.url}report.html`)
      expectCleanPage(page)
      expect(page.videos.map((v) => [v.src, v.readyState >= 1, Math.round(v.duration)])).toEqual([
        ['reel%20%231.mp4', true, 3],
        ['shots/a.mp4', true, 1],
        ['shots/b.mp4', true, 2],
      ])
    } finally {
      await server.close()
    }
  })

  test('opened straight from disk (file://) it works the same', async () => {
    const page = await checkPage(browser, pathToFileURL(join(dir, 'report.html')).href)
    expect(page.consoleErrors).toEqual([])
    expect(page.videos.every((v) => v.readyState >= 1 && v.error === null)).toBe(true)
  })
})
