import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FFMPEG, FFPROBE } from '@storyreel/test-utils'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runCli } from './helpers/run-cli.ts'

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyreel-probes-'))
  // ffmpeg and ffprobe stand-ins that log every call, then run the real ones.
  for (const [tool, real] of [
    ['ffmpeg', FFMPEG],
    ['ffprobe', FFPROBE],
  ] as const) {
    await writeFile(
      join(dir, tool),
      `#!/bin/sh\necho "${tool} $*" >> "${join(dir, 'calls.log')}"\nexec "${real}" "$@"\n`,
    )
    await chmod(join(dir, tool), 0o755)
  }
  await writeFile(
    join(dir, 'board.yaml'),
    'version: 1\noutput: { file: reel.mp4, width: 640, height: 360, fps: 24 }\nshots:\n  - { id: a, model: kling-v2.5-turbo-pro/text-to-video, prompt: A lighthouse. }\n',
  )
})
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('ffmpeg capability probes', () => {
  test(
    'asked once per binary and kept in the cache folder: a second render starts no -version, -filters, -encoders or -formats',
    { timeout: 120_000 },
    async () => {
      const env = {
        FFMPEG_PATH: join(dir, 'ffmpeg'),
        FFPROBE_PATH: join(dir, 'ffprobe'),
        STORYREEL_CACHE_DIR: join(dir, 'cache'),
      }
      const probes = async () =>
        (await readFile(join(dir, 'calls.log'), 'utf8'))
          .split('\n')
          .filter((line) => /^ffmpeg -hide_banner -(version|filters|encoders|formats)\b/.test(line))
      const first = await runCli(['render', 'board.yaml', '--out', 'one'], { cwd: dir, env })
      expect(first.code, first.stderr).toBe(0)
      expect((await probes()).length).toBe(3)
      await writeFile(join(dir, 'calls.log'), '')
      const second = await runCli(['render', 'board.yaml', '--out', 'two', '--force'], { cwd: dir, env })
      expect(second.code, second.stderr).toBe(0)
      expect(await probes()).toEqual([])
      // And it did run ffmpeg: the animatic, the contact sheet.
      expect(
        (await readFile(join(dir, 'calls.log'), 'utf8'))
          .split('\n')
          .filter((line) => line.startsWith('ffmpeg ')).length,
      ).toBeGreaterThan(1)
    },
  )
})
