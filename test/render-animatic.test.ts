import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Manifest } from '../apps/cli/src/render/manifest.ts'
import { checkPage, expectCleanPage, launchChromium, needsChromium } from './helpers/browser.ts'
import { probe } from './helpers/media.ts'
import { type CliResult, hasStackTrace, REPO_ROOT, runCli } from './helpers/run-cli.ts'
import { serveDirectory } from './helpers/static-server.ts'

// The README's main command, run as a new user would: no key, from a directory of their own.
let cwd: string
let result: CliResult
let browser: Browser
const chromium = needsChromium()
const runDir = () => join(cwd, 'renders', 'storm-at-sea')

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'storyreel-animatic-'))
  const [rendered, launched] = await Promise.all([
    runCli(['render', join(REPO_ROOT, 'storyboards', 'storm-at-sea.yaml')], { cwd, timeoutMs: 170_000 }),
    chromium.skip ? undefined : launchChromium(),
  ])
  result = rendered
  if (launched) browser = launched
}, 180_000)
afterAll(async () => {
  await browser?.close()
  if (cwd) await rm(cwd, { recursive: true, force: true })
})

describe('storyreel render with no API key (the animatic)', () => {
  test('says it is making a free animatic and how to render for real, then writes a playable reel', async () => {
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(
      /No WAVESPEED_API_KEY set: rendering an offline animatic.*set WAVESPEED_API_KEY/,
    )
    expect(result.stderr).not.toSatisfy(hasStackTrace)
    expect(result.stdout).toContain(`Reel: ${join('renders', 'storm-at-sea', 'storm-at-sea.mp4')}`)
    const reel = await probe(join(runDir(), 'storm-at-sea.mp4'))
    const manifest = JSON.parse(await readFile(join(runDir(), 'manifest.json'), 'utf8')) as Manifest
    expect(reel.width).toBe(1280)
    expect(reel.height).toBe(720)
    expect(reel.videoDuration ?? reel.duration).toBeCloseTo(manifest.reel!.duration!, 1)
    // Six shots, 35 s of clips, less the rescue trim (1.5 s), four crossfades of 0.5 s and two fades through black.
    expect(reel.duration).toBeGreaterThan(25)
    expect(manifest.provider).toBe('animatic')
    expect(manifest.totals.cost).toBe(0)
    expect(manifest.ledger.length).toBeGreaterThan(0)
    expect(manifest.ledger.every((entry) => entry.cost === 0)).toBe(true)
  })

  test.skipIf(chromium.skip)(
    chromium.title(
      "the review page loads in a real browser: no console errors, every video's metadata, every thumbnail",
    ),
    async () => {
      const server = await serveDirectory(runDir())
      try {
        const page = await checkPage(browser, `${server.url}report.html`)
        expectCleanPage(page)
        const manifest = JSON.parse(await readFile(join(runDir(), 'manifest.json'), 'utf8')) as Manifest
        expect(page.videos).toHaveLength(1 + manifest.shots.length)
        for (const video of page.videos) expect(video, video.src).toMatchObject({ error: null })
        expect(page.videos.every((v) => v.readyState >= 1)).toBe(true)
        expect(page.videos[0]!.duration).toBeCloseTo(manifest.reel!.duration!, 0)
        for (const [i, shot] of manifest.shots.entries()) {
          expect(page.videos[i + 1]!.duration).toBeCloseTo(
            (await probe(join(runDir(), shot.clip!.file))).duration,
            0,
          )
        }
      } finally {
        await server.close()
      }
    },
  )
})
