import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { runMain } from './helpers/run-main.ts'

const STORYBOARD = `version: 1
title: One shot
output: { file: reel.mp4, width: 320, height: 180, fps: 24 }
shots:
  - id: a
    model: kling-v2.5-turbo-pro/text-to-video
    prompt: A lighthouse at night.
`

const run = (argv: string[], cwd: string, env: Record<string, string>) => runMain(argv, cwd, { env })

/** Every stdout line parsed: --json output is one JSON object a line, nothing else. */
function events(stdout: string): { type: string; version: number; message?: string }[] {
  return stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; version: number; message?: string })
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-json-notices-'))
  await writeFile(join(dir, 'board.yaml'), STORYBOARD)
})
afterAll(() => rm(dir, { recursive: true, force: true }))

test(
  'render --json: the provider notice and "already rendered" are note events on stdout, stderr stays empty, result comes last',
  { timeout: 300_000 },
  async () => {
    const env = { STORYREEL_CACHE_DIR: join(dir, 'cache') }
    const render = () => run(['render', 'board.yaml', '--out', 'run', '--json'], dir, env)
    const first = await render()
    expect(first.code, first.stderr).toBe(0)
    expect(first.stderr).toBe('')
    const firstEvents = events(first.stdout)
    expect(firstEvents.every((e) => e.version === 1)).toBe(true)
    expect(firstEvents.find((e) => e.type === 'note')?.message).toMatch(/No WAVESPEED_API_KEY set/)
    expect(firstEvents.at(-1)!.type).toBe('result')

    const second = await render()
    expect(second.code, second.stderr).toBe(0)
    expect(second.stderr).toBe('')
    const notes = events(second.stdout).filter((e) => e.type === 'note')
    expect(notes.map((n) => n.message)).toContainEqual(expect.stringMatching(/1 shot already rendered/))
    expect(events(second.stdout).at(-1)!.type).toBe('result')
  },
)
