import { spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { createRequire } from 'node:module'
import { delimiter, join } from 'node:path'
import { SimError } from './errors.ts'

const STDERR_KEEP = 4000

/**
 * The ffmpeg to run: `FFMPEG_PATH` when set, else `ffmpeg` from `PATH`, else the static build of
 * `@ffmpeg-installer/ffmpeg` (an optional dependency, as storyreel's own fallback), so the simulator
 * also works on a machine with only Node and npm.
 */
export function defaultFfmpeg(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const fromEnv = env.FFMPEG_PATH?.trim()
  if (fromEnv) return fromEnv
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, 'ffmpeg'))) return 'ffmpeg'
  }
  try {
    const shipped = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path
    if (isExecutable(shipped)) return shipped
  } catch {
    // Not installed (no build for this platform): 'ffmpeg' below fails with SIM_FFMPEG_MISSING, which says what to do.
  }
  return 'ffmpeg'
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Runs ffmpeg with `args` (no shell) and resolves when it exits 0. A missing
 * binary is `SIM_FFMPEG_MISSING`, a failed run `SIM_FFMPEG_FAILED` with the end of
 * its stderr; when `signal` aborts, the process is killed and the promise rejects
 * with the signal's reason.
 */
export function runFfmpeg(ffmpeg: string, args: readonly string[], signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      signal,
    })
    let stderr = ''
    child.stderr
      .setEncoding('utf8')
      .on('data', (text: string) => (stderr = (stderr + text).slice(-STDERR_KEEP)))
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (signal?.aborted) return reject(signal.reason)
      if (error.code === 'ENOENT') {
        return reject(
          new SimError(
            'SIM_FFMPEG_MISSING',
            `ffmpeg was not found (tried "${ffmpeg}"). Install ffmpeg (apt install ffmpeg, brew install ffmpeg) or set FFMPEG_PATH to its full path.`,
            { cause: error },
          ),
        )
      }
      reject(
        new SimError('SIM_FFMPEG_FAILED', `ffmpeg could not be started (${ffmpeg}): ${error.message}`, {
          cause: error,
        }),
      )
    })
    child.once('close', (code, killedBy) => {
      if (code === 0) return resolve()
      if (signal?.aborted) return reject(signal.reason)
      const tail = stderr.trim().split('\n').slice(-5).join('\n')
      reject(
        new SimError('SIM_FFMPEG_FAILED', `ffmpeg exited with ${code ?? killedBy}${tail ? `: ${tail}` : ''}`),
      )
    })
  })
}
