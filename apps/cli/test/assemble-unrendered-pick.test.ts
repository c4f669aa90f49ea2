import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sha256File } from '@storyreel/scheduler'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Manifest } from '../src/render/manifest.ts'
import { runMain } from './helpers/run-main.ts'

/** gulls is rendered with two takes (pick 1), boat with one. */
const STORYBOARD = `version: 1
title: Unrendered picks
defaults:
  model: kling-v2.5-turbo-pro/text-to-video
  duration: 5
output: { file: reel.mp4, width: 320, height: 180, fps: 24 }
shots:
  - id: gulls
    prompt: Gulls over the harbour.
    takes: 2
  - id: boat
    prompt: A boat leaves the harbour.
`

/**
 * The hand edits `storyreel pick` would refuse: gulls' takes raised to 3 with take 3 picked, and boat's
 * take 2 picked (takes raised to 2 so the storyboard stays valid). Neither take was ever rendered.
 */
const EDITED = STORYBOARD.replace('    takes: 2\n', '    takes: 3\n    pick: 3\n').replace(
  '    prompt: A boat leaves the harbour.\n',
  '    prompt: A boat leaves the harbour.\n    takes: 2\n    pick: 2\n',
)

let dir: string
let board: string
let env: Record<string, string>
const out = () => join(dir, 'run')
const cli = (...argv: string[]) => runMain(argv, dir, { env })
const manifest = async () => JSON.parse(await readFile(join(out(), 'manifest.json'), 'utf8')) as Manifest

/** Everything `assemble` writes when it stitches: none of it may change when it refuses. */
async function runFiles() {
  const reel = join(out(), 'reel.mp4')
  return {
    reel: await sha256File(reel),
    reelWritten: (await stat(reel)).mtimeMs,
    manifest: await readFile(join(out(), 'manifest.json'), 'utf8'),
    journal: await readFile(join(out(), 'journal.ndjson'), 'utf8'),
    report: await readFile(join(out(), 'report.html'), 'utf8'),
    gulls: await sha256File(join(out(), 'shots/gulls.mp4')),
    boat: await sha256File(join(out(), 'shots/boat.mp4')),
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-unrendered-pick-'))
  board = join(dir, 'harbour.yaml')
  env = { STORYREEL_CACHE_DIR: join(dir, 'cache') }
  await writeFile(board, STORYBOARD)
  const first = await cli('render', board, '--out', out(), '--provider', 'animatic')
  expect(first.code, first.stderr).toBe(0)
  await writeFile(board, EDITED)
}, 300_000)
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('a pick: edited by hand to a take the run never rendered', () => {
  const refusal =
    'Nothing was assembled: take 3 of "gulls" is picked but has no clip (rendered: takes 1, 2); ' +
    'take 2 of "boat" is picked but has no clip (rendered: take 1).'

  test(
    'assemble refuses, naming the shots and takes and the render that makes them, and writes nothing',
    { timeout: 60_000 },
    async () => {
      const before = await runFiles()
      const assembled = await cli('assemble', out())
      expect(assembled.code).toBe(1)
      expect(assembled.stdout).toBe('')
      expect(assembled.stderr).toContain(`storyreel: ${refusal}`)
      expect(assembled.stderr).toContain(
        `Render them first (2 predictions, animatic: free); this renders only what the storyboard now needs and stitches the reel: storyreel render ${board} --out ${out()}`,
      )
      expect(assembled.stderr).not.toMatch(/unexpected error|This is a bug/i)
      expect(await runFiles()).toEqual(before)
    },
  )

  test(
    'assemble --json: the same refusal on stderr, no result on stdout, exit 1',
    { timeout: 60_000 },
    async () => {
      const before = await runFiles()
      const text = await cli('assemble', out())
      const json = await cli('assemble', out(), '--json')
      expect(json.code).toBe(1)
      expect(json.stderr).toBe(text.stderr)
      const events = json.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { type: string })
      expect(events.filter((e) => e.type === 'result')).toEqual([])
      expect(await runFiles()).toEqual(before)
    },
  )

  test('status shows both shots as stale with their picked take, not done', { timeout: 60_000 }, async () => {
    const text = await cli('status', out())
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(
      new RegExp(`^gulls +stale .*take 3 is picked but not rendered: storyreel render ${board} --out`, 'm'),
    )
    expect(text.stdout).toMatch(/^ {2}take 3 +no clip +0 /m)
    expect(text.stdout).toMatch(/^boat +stale .*take 2 is picked but not rendered/m)
    expect(text.stdout).toContain('0/2 shots done')

    const json = await cli('status', out(), '--json')
    const shots = (
      JSON.parse(json.stdout) as {
        shots: { shot: string; state: string; pick?: number; clip?: string; takes: { take: number }[] }[]
      }
    ).shots
    const gulls = shots.find((s) => s.shot === 'gulls')!
    expect(gulls).toMatchObject({ state: 'stale', pick: 3 })
    expect(gulls.clip).toBeUndefined()
    expect(gulls.takes.map((t) => t.take)).toEqual([1, 2, 3])
    expect(shots.find((s) => s.shot === 'boat')).toMatchObject({ state: 'stale', pick: 2 })
  })

  test(
    'the render the refusal prints submits just the two missing takes; then the reel has them',
    { timeout: 300_000 },
    async () => {
      const render = await cli('render', board, '--out', out(), '--provider', 'animatic')
      expect(render.code, render.stderr).toBe(0)
      expect(render.stderr).toContain('Rendering 2 shots locally')
      expect(render.stderr).toContain('gulls: queued (take 3 of 3)')
      expect(render.stderr).toContain('boat: queued (take 2 of 2)')
      const assembled = await cli('assemble', out())
      expect(assembled.code, assembled.stderr).toBe(0)
      const m = await manifest()
      expect(m.shots.map((s) => [s.id, s.pick])).toEqual([
        ['gulls', 3],
        ['boat', 2],
      ])
      expect(await sha256File(join(out(), 'shots/gulls.mp4'))).toBe(
        await sha256File(join(out(), 'takes/gulls/take-3.mp4')),
      )
      expect(await sha256File(join(out(), 'shots/boat.mp4'))).toBe(
        await sha256File(join(out(), 'takes/boat/take-2.mp4')),
      )
      const status = await cli('status', out())
      expect(status.stdout).toContain('2/2 shots done')
    },
  )
})
