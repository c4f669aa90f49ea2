import { execFileSync } from 'node:child_process'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { makeClip, startEchoingApi, tempDir } from '@storyreel/test-utils'
import { describe, expect, test } from 'vitest'
import { defaultOutDir } from '../src/render/run-location.ts'
import { runMain } from './helpers/run-main.ts'

const KEY = 'sk-cli-echo-0123456789-SECRET'
const STORYBOARD = `version: 1
title: One shot
output: { file: reel.mp4, width: 320, height: 180, fps: 24 }
shots:
  - id: a
    model: kling-v2.5-turbo-pro/text-to-video
    prompt: A lighthouse at night.
`

const run = (argv: string[], cwd: string, env: Record<string, string> = {}) => runMain(argv, cwd, { env })

async function setUp() {
  const dir = await tempDir('storyreel-cli-run-')
  await writeFile(join(dir, 'board.yaml'), STORYBOARD)
  return { dir, board: join(dir, 'board.yaml'), env: { STORYREEL_CACHE_DIR: join(dir, 'cache') } }
}

async function filesContaining(root: string, needle: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true }).catch(() => [])
  const hits: string[] = []
  for (const e of entries)
    if (e.isFile() && (await readFile(join(e.parentPath, e.name))).includes(needle))
      hits.push(join(e.parentPath, e.name))
  return hits
}

const noBug = (text: string) => expect(text).not.toMatch(/unexpected error|This is a bug/i)

describe('render: places it cannot write, found before anything is paid', () => {
  test('--out /proc/...: one clear message at once (it used to hang)', async () => {
    const { board, dir, env } = await setUp()
    const result = await run(['render', board, '--out', `/proc/storyreel-${process.pid}/run`], dir, env)
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(
      /Cannot write the run directory \/proc\/storyreel-\d+: no directory can be created there\. Nothing was submitted\. Choose a writable directory with --out\./,
    )
    noBug(result.stderr)
  })

  test.skipIf(process.getuid?.() !== 0)(
    '--out on a read-only file system, not there yet: read-only, not "a bug"',
    async () => {
      const { board, dir, env } = await setUp()
      const mount = join(dir, 'ro')
      await mkdir(mount)
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', mount])
      try {
        const result = await run(['render', board, '--out', join(mount, 'new', 'run')], dir, env)
        expect(result.code).toBe(1)
        expect(result.stderr).toContain(
          `Cannot write the run directory ${join(mount, 'new')}: the file system is read-only.`,
        )
        noBug(result.stderr)
      } finally {
        execFileSync('umount', ['-l', mount])
      }
    },
  )

  test('an unwritable clip cache: says which variable to change, and no prediction is created', async () => {
    const { board, dir } = await setUp()
    const api = await startEchoingApi({ key: KEY, clip: await makeClip(join(dir, 'out.mp4')) })
    await writeFile(join(dir, 'blocker'), 'a file where the cache should be')
    const result = await run(['render', board, '--yes'], dir, {
      WAVESPEED_API_KEY: KEY,
      WAVESPEED_BASE_URL: api.url,
      STORYREEL_CACHE_DIR: join(dir, 'blocker', 'cache'),
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      `Cannot write the clip cache ${join(dir, 'blocker')}: a file is in the way. Nothing was submitted. Point STORYREEL_CACHE_DIR at a writable directory.`,
    )
    expect(api.created()).toBe(0)
  })

  test('the default run directory is a folder of its own under renders/, whatever the file is called', () => {
    for (const name of ['...yaml', '..yml', '.yaml', '.YAML'])
      expect(defaultOutDir(name, '/work'), name).toBe('/work/renders/storyboard')
    expect(defaultOutDir('boards/storm.yaml', '/work')).toBe('/work/renders/storm')
    expect(defaultOutDir('.hidden.yaml', '/work')).toBe('/work/renders/.hidden')
  })
})

describe('render: spend', () => {
  test('--max-cost below the estimate: the estimate, then what to do; nothing submitted', async () => {
    const { board, dir, env } = await setUp()
    const api = await startEchoingApi({ key: KEY, clip: await makeClip(join(dir, 'out.mp4')) })
    const result = await run(['render', board, '--yes', '--max-cost', '0.10'], dir, {
      ...env,
      WAVESPEED_API_KEY: KEY,
      WAVESPEED_BASE_URL: api.url,
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      'Will submit 1 prediction, estimated $0.35 (retries of failed predictions come on top).\nstoryreel: The estimate $0.35 is over --max-cost $0.10: nothing was submitted.',
    )
    expect(api.created()).toBe(0)
  })
})

describe('render against an API that echoes the key in prediction ids and output URLs', () => {
  test(
    'prints the key nowhere (live lines or --json) and writes it to no file',
    { timeout: 120_000 },
    async () => {
      const { board, dir, env } = await setUp()
      const api = await startEchoingApi({
        key: KEY,
        clip: await makeClip(join(dir, 'out.mp4'), { seconds: 5 }),
      })
      const withKey = { ...env, WAVESPEED_API_KEY: KEY, WAVESPEED_BASE_URL: api.url }
      const lines = await run(['render', board, '--yes', '--out', join(dir, 'lines')], dir, withKey)
      const json = await run(
        ['render', board, '--yes', '--json', '--force', '--out', join(dir, 'json')],
        dir,
        withKey,
      )
      for (const result of [lines, json]) {
        expect(result.code, result.stderr).toBe(0)
        expect(result.stdout + result.stderr).not.toContain(KEY)
      }
      // The ids did carry it: they are shown, scrubbed.
      expect(lines.stderr).toMatch(/a: submitted \(\[redacted\]-prediction-1\)/)
      expect(json.stdout).toContain('"predictionId":"[redacted]-prediction-2"')
      expect(api.created()).toBe(2)
      expect(await filesContaining(dir, KEY)).toEqual([])
    },
  )
})

describe('status', () => {
  test('a journal line of valid JSON but not a record: its line number, not "a bug"', async () => {
    const { dir } = await setUp()
    await mkdir(join(dir, 'run'))
    await writeFile(
      join(dir, 'run', 'journal.ndjson'),
      '{"type":"run","at":1,"pid":1,"plan":"h","provider":"wavespeed"}\nnull\n{"type":"skipped","at":2,"shot":"a","reason":"r"}\n',
    )
    const result = await run(['status', 'run'], dir)
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/journal\.ndjson:2 is not a journal record/)
    noBug(result.stderr)
  })

  test('a shot with takes: attempts and spend per take, each on its own line and in --json', async () => {
    const { dir } = await setUp()
    await mkdir(join(dir, 'run'))
    const sha = (n: number) => String(n).repeat(64)
    const attempt = (take: number, attempt: number, ok: boolean) => [
      {
        type: 'intent',
        at: attempt,
        shot: 'storm',
        take,
        attempt,
        key: `k${take}`,
        request: { model: 'm', params: {} },
      },
      {
        type: 'submitted',
        at: attempt,
        shot: 'storm',
        attempt,
        key: `k${take}`,
        id: `p${attempt}`,
        model: 'm',
        cost: 0.35,
      },
      ok
        ? {
            type: 'downloaded',
            at: attempt,
            shot: 'storm',
            take,
            attempt,
            id: `p${attempt}`,
            key: `k${take}`,
            file: `takes/storm/take-${take}.mp4`,
            sha256: sha(take),
          }
        : {
            type: 'failed',
            at: attempt,
            shot: 'storm',
            attempt,
            id: `p${attempt}`,
            message: 'boom',
            retryable: true,
            ended: true,
          },
    ]
    const records = [
      { type: 'run', at: 0, pid: 1, plan: 'h', provider: 'wavespeed' },
      ...attempt(1, 1, false),
      ...attempt(1, 2, true),
      ...attempt(2, 3, true),
    ]
    await writeFile(
      join(dir, 'run', 'journal.ndjson'),
      records.map((r) => JSON.stringify(r)).join('\n') + '\n',
    )
    const text = await run(['status', 'run'], dir)
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/^storm\s+done\s+-\s+\$1\.05 /m)
    expect(text.stdout).toMatch(/^ {2}take 1\s+done\s+2\s+\$0\.70\s+p2$/m)
    expect(text.stdout).toMatch(/^ {2}take 2\s+done\s+1\s+\$0\.35\s+p3$/m)
    const json = JSON.parse((await run(['status', 'run', '--json'], dir)).stdout) as {
      shots: { takes: { take: number; attempts: number; spent: number; predictionId: string }[] }[]
    }
    expect(
      json.shots[0]!.takes.map(({ take, attempts, spent, predictionId }) => ({
        take,
        attempts,
        spent,
        predictionId,
      })),
    ).toEqual([
      { take: 1, attempts: 2, spent: 0.7, predictionId: 'p2' },
      { take: 2, attempts: 1, spent: 0.35, predictionId: 'p3' },
    ])
  })
})
