import { accessSync, constants } from 'node:fs'
import { createRequire } from 'node:module'
import { delimiter, join } from 'node:path'

/** The first executable `name` on `PATH`, or undefined. */
export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name)
  }
  return undefined
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function npmBuild(pkg: string): string | undefined {
  try {
    const path = (createRequire(import.meta.url)(pkg) as { path: string }).path
    return isExecutable(path) ? path : undefined
  } catch {
    return undefined
  }
}

/**
 * The ffmpeg and ffprobe tests generate and inspect media with: the ones storyreel's `locateFfmpeg` would
 * use (`FFMPEG_PATH`/`FFPROBE_PATH`, else `PATH`, else the static npm build `pnpm install` brings on a
 * machine without ffmpeg). Looked up the same way here because this package depends on none of ours.
 */
export const FFMPEG =
  process.env.FFMPEG_PATH || findOnPath('ffmpeg') || npmBuild('@ffmpeg-installer/ffmpeg') || 'ffmpeg'
export const FFPROBE =
  process.env.FFPROBE_PATH || findOnPath('ffprobe') || npmBuild('@ffprobe-installer/ffprobe') || 'ffprobe'

/** The ffmpeg on `PATH` (a system one, e.g. Debian's 5.1), when there is one: what some tests compare against. */
export const SYSTEM_FFMPEG = findOnPath('ffmpeg')

/** What a test that needs a tool this machine may lack passes to `describe.skipIf` / `test.skipIf`. */
export interface Needs {
  /** True when the tool is missing: skip. */
  readonly skip: boolean
  /** `title`, with why it is skipped appended when it is, so the reporter shows the reason. */
  title(title: string): string
}

/**
 * Whether a tool a test needs is here. `found` is its path (or any truthy value) when it is.
 * With `STORYREEL_TESTS_NEED_ALL=1` (set by `.ci/run`, which installs everything) a missing tool
 * throws instead, so nothing is skipped there by accident.
 */
export function needs(tool: string, found: unknown, install: string): Needs {
  const skip = !found
  const reason = `skipped: ${tool} not found (${install})`
  if (skip && process.env.STORYREEL_TESTS_NEED_ALL === '1')
    throw new Error(`STORYREEL_TESTS_NEED_ALL=1 but ${tool} was not found (${install})`)
  return { skip, title: (title) => (skip ? `${title} [${reason}]` : title) }
}

/** `redis-server` on `PATH`, which `startRedis` runs. */
export const REDIS_SERVER = findOnPath('redis-server')

/** For tests that start a real Redis. */
export const needsRedis = (): Needs =>
  needs('redis-server', REDIS_SERVER, 'no redis-server on PATH; apt-get install redis-server')
