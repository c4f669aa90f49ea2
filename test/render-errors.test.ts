import { execFileSync } from 'node:child_process'
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { type Simulator, startSimulator } from '@storyreel/wavespeed-sim'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type CliResult, hasStackTrace, runCli } from './helpers/run-cli.ts'
import { CHAINS_STORYBOARD, type Fixture, writeFixture } from './helpers/storyboard-fixture.ts'

const KEY = 'sk-e2e-errors-SECRET-42'
let sim: Simulator
let fixture: Fixture

beforeAll(async () => {
  sim = await startSimulator({ apiKey: KEY, latencyMs: 200, concurrency: 4, videoScale: 0.3 })
  fixture = await writeFixture()
}, 60_000)
afterAll(async () => {
  await sim?.close()
  if (fixture) await rm(fixture.dir, { recursive: true, force: true })
})

function render(args: string[], env: Record<string, string | undefined> = {}) {
  return runCli(['render', ...args], {
    cwd: fixture.dir,
    env: { STORYREEL_CACHE_DIR: fixture.cacheDir, ...env },
  })
}

/** One clear message, the right code, no stack trace, and never the key. */
function expectCleanFailure(result: CliResult, code: number, message: RegExp) {
  expect(result.code, result.stderr).toBe(code)
  expect(result.stderr).toMatch(message)
  expect(result.stderr).not.toSatisfy(hasStackTrace)
  expect(result.stderr + result.stdout).not.toContain(KEY)
  expect(result.stderr).not.toMatch(/unexpected error|This is a bug/)
}

/** Mounting needs root (or CAP_SYS_ADMIN): true on the CI machines, which run as root. */
function canMountTmpfs(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0
}

async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe('render fails cleanly on bad input', () => {
  test('a storyboard that does not validate: every error as file:line:col, exit 1, nothing submitted', async () => {
    const file = join(fixture.dir, 'broken.yaml')
    await writeFile(
      file,
      CHAINS_STORYBOARD.replace('duration: 5', 'duration: 7').replace(
        '  - id: b1',
        '  - id: b1\n    colour: red',
      ),
    )
    const before = sim.stats().createdTotal
    const result = await render([file, '--yes'], { WAVESPEED_API_KEY: KEY, WAVESPEED_BASE_URL: sim.url })
    expectCleanFailure(result, 1, /broken\.yaml:\d+:\d+: .*\n.*broken\.yaml:\d+:\d+: /)
    expect(result.stderr).toMatch(/colour/)
    expect(sim.stats().createdTotal).toBe(before)
  })

  test('a missing image: named with its position, exit 1', async () => {
    const file = join(fixture.dir, 'missing.yaml')
    await writeFile(file, CHAINS_STORYBOARD.replace('images/start.png', 'images/nowhere.png'))
    const result = await render([file])
    expectCleanFailure(result, 1, /missing\.yaml:\d+:\d+: .*nowhere\.png/)
  })

  test('an unreachable API: says so before anything is paid', async () => {
    const result = await render([fixture.storyboard, '--out', join(fixture.dir, 'unreachable'), '--yes'], {
      WAVESPEED_API_KEY: KEY,
      WAVESPEED_BASE_URL: `http://127.0.0.1:${await closedPort()}`,
    })
    expectCleanFailure(result, 1, /ECONNREFUSED|could not connect|failed/i)
    expect(result.stderr).toMatch(/WAVESPEED_BASE_URL|network/)
  }, 60_000)

  test('a wrong key: refused by the API, reported once, exit 1', async () => {
    const result = await render([fixture.storyboard, '--out', join(fixture.dir, 'wrong-key'), '--yes'], {
      WAVESPEED_API_KEY: 'sk-wrong-key-000',
      WAVESPEED_BASE_URL: sim.url,
    })
    expectCleanFailure(result, 1, /key/i)
    expect(result.stderr).not.toContain('sk-wrong-key-000')
  })

  test('an empty balance: nothing submitted, told to top up', async () => {
    const poor = await startSimulator({ apiKey: KEY, balance: 0.5, latencyMs: 100, videoScale: 0.3 })
    try {
      const result = await render([fixture.storyboard, '--out', join(fixture.dir, 'poor'), '--yes'], {
        WAVESPEED_API_KEY: KEY,
        WAVESPEED_BASE_URL: poor.url,
      })
      expectCleanFailure(result, 1, /balance.*\$0\.50.*[Tt]op up/)
      expect(poor.stats().createdTotal).toBe(0)
    } finally {
      await poor.close()
    }
  })

  test('an unwritable output directory (a path under a regular file): exit 1 before any submission', async () => {
    const blocker = join(fixture.dir, 'not-a-dir')
    await writeFile(blocker, 'a file where a directory should be')
    const before = sim.stats().createdTotal
    const result = await render([fixture.storyboard, '--out', join(blocker, 'run'), '--yes'], {
      WAVESPEED_API_KEY: KEY,
      WAVESPEED_BASE_URL: sim.url,
    })
    expectCleanFailure(result, 1, /not-a-dir.*--out|--out.*not-a-dir|file is in the way/s)
    expect(sim.stats().createdTotal).toBe(before)
  })

  test.skipIf(!canMountTmpfs())(
    'an output directory on a read-only mount (root ignores permission bits, not a read-only file system): exit 1 before any submission',
    async () => {
      const out = join(fixture.dir, 'read-only')
      await mkdir(out, { recursive: true })
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', out])
      try {
        const before = sim.stats().createdTotal
        const result = await render([fixture.storyboard, '--out', out, '--yes'], {
          WAVESPEED_API_KEY: KEY,
          WAVESPEED_BASE_URL: sim.url,
        })
        expectCleanFailure(result, 1, /Cannot write .*read-only.*--out/)
        expect(sim.stats().createdTotal).toBe(before)
      } finally {
        execFileSync('umount', ['-l', out])
      }
    },
  )

  test.skipIf(!canMountTmpfs())(
    'a full disk (the run directory on a 200 KB tmpfs, full after the first clip or two): exit 1, paid work kept',
    async () => {
      const out = join(fixture.dir, 'full-disk')
      await mkdir(out, { recursive: true })
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=200k', 'tmpfs', out])
      try {
        const before = sim.stats().createdTotal
        const result = await render([fixture.storyboard, '--out', out, '--yes'], {
          WAVESPEED_API_KEY: KEY,
          WAVESPEED_BASE_URL: sim.url,
        })
        expectCleanFailure(result, 1, /disk is full/i)
        // Every prediction paid for is in the journal, so the next run re-attaches instead of paying again.
        const journal = (await readFile(join(out, 'journal.ndjson'), 'utf8'))
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { type: string; id?: string })
        const recorded = journal.filter((r) => r.type === 'submitted').map((r) => r.id)
        const created = sim
          .submissions()
          .filter((s) => s.id && s.time >= 0)
          .map((s) => s.id)
        expect(created.length - before).toBe(recorded.length)
        for (const id of recorded) expect(created).toContain(id)
        // With room again (the run directory copied to a real disk), the same command pays only for what was never created.
        const roomy = join(fixture.dir, 'full-disk-moved')
        await cp(out, roomy, { recursive: true })
        const resumed = await render([fixture.storyboard, '--out', roomy, '--yes'], {
          WAVESPEED_API_KEY: KEY,
          WAVESPEED_BASE_URL: sim.url,
        })
        expect(resumed.code, resumed.stderr).toBe(0)
        expect(sim.stats().createdTotal - before).toBe(5)
      } finally {
        execFileSync('umount', ['-l', out])
      }
    },
    120_000,
  )

  test('a paid run above the confirmation threshold with no terminal and no --yes: refused with what to pass', async () => {
    const file = join(fixture.dir, 'pricey.yaml')
    await writeFile(
      file,
      CHAINS_STORYBOARD.replace('model: kling-v2.1-i2v-pro', 'model: kling-v2.1-i2v-master').replace(
        /duration: 5/,
        'duration: 10',
      ),
    )
    const before = sim.stats().createdTotal
    const result = await render([file, '--out', join(fixture.dir, 'pricey')], {
      WAVESPEED_API_KEY: KEY,
      WAVESPEED_BASE_URL: sim.url,
    })
    expectCleanFailure(result, 1, /--yes/)
    expect(sim.stats().createdTotal).toBe(before)
  })

  test("a shot the API refuses (moderation): listed with its prediction id and the API's message; its chain is skipped, the others finish", async () => {
    sim.setFaults({
      failPrediction: (input) =>
        String(input.params.prompt).includes('beam sweeps')
          ? { code: 1200, error: 'Content flagged by moderation.' }
          : undefined,
    })
    const out = join(fixture.dir, 'moderated')
    const before = sim.stats().createdTotal
    try {
      // A cache of its own: earlier tests here rendered these shots already.
      const result = await render([fixture.storyboard, '--out', out, '--yes'], {
        WAVESPEED_API_KEY: KEY,
        WAVESPEED_BASE_URL: sim.url,
        STORYREEL_CACHE_DIR: join(out, '..', 'moderated-cache'),
      })
      expectCleanFailure(result, 1, /a2: failed \(prediction [0-9a-f]+\): .*Content flagged by moderation/)
      expect(result.stderr).toMatch(/c1: skipped: .*a2/)
      // Moderation is not retried: one prediction each for a1, a2, b1, b2; none for c1.
      expect(sim.stats().createdTotal - before).toBe(4)
      const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as {
        status: string
        reel?: unknown
        shots: { id: string; status: string; error?: string }[]
      }
      expect(manifest.status).toBe('failed')
      expect(manifest.reel).toBeUndefined()
      expect(manifest.shots.map((s) => [s.id, s.status])).toEqual([
        ['a1', 'done'],
        ['a2', 'failed'],
        ['b1', 'done'],
        ['b2', 'done'],
        ['c1', 'skipped'],
      ])
      expect(await readFile(join(out, 'report.html'), 'utf8')).toContain('Content flagged by moderation.')
    } finally {
      sim.setFaults({})
    }
  }, 60_000)

  test('usage errors exit 2 with a hint', async () => {
    const result = await render([fixture.storyboard, '--concurrency', 'lots'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/--concurrency.*\n.*storyreel render --help/)
  })
})
