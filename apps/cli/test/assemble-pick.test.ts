import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sha256File } from '@storyreel/scheduler'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Manifest } from '../src/render/manifest.ts'
import { runMain } from './helpers/run-main.ts'

/** storm (two takes) → deck, chained from its last frame; gulls (two takes) stands alone. */
const STORYBOARD = `version: 1
title: Picks
defaults:
  model: kling-v2.1-i2v-pro
  duration: 5
output: { file: reel.mp4, width: 320, height: 180, fps: 24 }
shots:
  - id: storm
    model: kling-v2.5-turbo-pro/text-to-video
    prompt: A storm at sea.
    takes: 2
  - id: deck
    prompt: Waves break over the deck.
  - id: gulls
    model: kling-v2.5-turbo-pro/text-to-video
    prompt: Gulls over the harbour.
    takes: 2
`

const run = (argv: string[], cwd: string, env: Record<string, string>) => runMain(argv, cwd, { env })

let dir: string
let board: string
let env: Record<string, string>
const out = () => join(dir, 'run')
const manifest = async () => JSON.parse(await readFile(join(out(), 'manifest.json'), 'utf8')) as Manifest
const cli = (...argv: string[]) => run(argv, dir, env)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-assemble-pick-'))
  board = join(dir, 'picks.yaml')
  env = { STORYREEL_CACHE_DIR: join(dir, 'cache') }
  await writeFile(board, STORYBOARD)
  const first = await cli('render', board, '--out', out(), '--provider', 'animatic')
  expect(first.code, first.stderr).toBe(0)
}, 300_000)
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('assemble after pick (no render in between)', () => {
  test(
    'a picked take nothing is chained after: stitched in, placed in shots/ and journaled',
    { timeout: 300_000 },
    async () => {
      const take2 = await sha256File(join(out(), 'takes/gulls/take-2.mp4'))
      expect(await sha256File(join(out(), 'shots/gulls.mp4'))).not.toBe(take2)
      const reelBefore = (await manifest()).reel!.sha256
      const pick = await cli('pick', board, 'gulls', '2', '--out', out())
      expect(pick.code, pick.stderr).toBe(0)
      expect(pick.stdout).toContain('Run: storyreel assemble run (or storyreel render')

      const assembled = await cli('assemble', out())
      expect(assembled.code, assembled.stderr).toBe(0)
      expect(await sha256File(join(out(), 'shots/gulls.mp4'))).toBe(take2)
      const m = await manifest()
      const gulls = m.shots.find((s) => s.id === 'gulls')!
      expect(gulls.pick).toBe(2)
      expect(gulls.clip?.sha256).toBe(take2)
      expect(gulls.takes!.map((t) => t.picked)).toEqual([false, true])
      expect(m.reel!.sha256).not.toBe(reelBefore)
      // The journal agrees: status reports take 2's clip, and a render has nothing left to do.
      const status = JSON.parse((await cli('status', out(), '--json')).stdout) as {
        shots: { shot: string; clip?: string }[]
      }
      expect(status.shots.find((s) => s.shot === 'gulls')!.clip).toBe('shots/gulls.mp4')
      const again = await cli('render', board, '--out', out(), '--provider', 'animatic', '--json')
      expect(again.code, again.stderr).toBe(0)
      expect(await sha256File(join(out(), 'shots/gulls.mp4'))).toBe(take2)
    },
  )

  test(
    'a picked take other shots are chained after: refused, naming them and the render to run',
    { timeout: 300_000 },
    async () => {
      const before = await readFile(join(out(), 'manifest.json'), 'utf8')
      const shotBefore = await sha256File(join(out(), 'shots/storm.mp4'))
      const pick = await cli('pick', board, 'storm', '2', '--out', out())
      expect(pick.code, pick.stderr).toBe(0)

      const assembled = await cli('assemble', out())
      expect(assembled.code).toBe(1)
      expect(assembled.stderr).toContain(
        'Nothing was assembled: take 2 of "storm" is picked, and "deck" starts from its last frame',
      )
      expect(assembled.stderr).toContain(`storyreel render ${board} --out ${out()}`)
      expect(assembled.stderr).not.toMatch(/unexpected error|This is a bug/i)
      expect(await readFile(join(out(), 'manifest.json'), 'utf8')).toBe(before)
      expect(await sha256File(join(out(), 'shots/storm.mp4'))).toBe(shotBefore)
    },
  )
})
