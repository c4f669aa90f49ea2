import { mkdir, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { schedulerError } from './errors.ts'

/** How long creating and test-writing a directory may take before it counts as unwritable. */
export const PREPARE_TIMEOUT_MS = 15_000

/**
 * Creates each directory of `dirs` and writes (then removes) a file in the first one, all within
 * `timeoutMs`, so an unwritable place fails before anything is paid: `SCHED_UNWRITABLE`.
 * Missing parents are created one at a time rather than with a recursive mkdir, which spins
 * forever on some file systems (`/proc/x`) and reports `ENOENT` for a read-only one.
 */
export async function prepareDirs(
  dirs: readonly string[],
  role: 'run' | 'cache',
  timeoutMs = PREPARE_TIMEOUT_MS,
): Promise<void> {
  let current = dirs[0] ?? ''
  const work = (async () => {
    for (const dir of dirs) {
      current = dir
      await makeDir(dir)
    }
    current = dirs[0] ?? ''
    const probe = join(current, `.write-test-${process.pid}-${Math.random().toString(36).slice(2)}`)
    await writeFile(probe, '', { flag: 'wx' })
    await rm(probe, { force: true })
  })()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          Object.assign(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`), { code: 'TIMEOUT' }),
        ),
      timeoutMs,
    )
  })
  try {
    await Promise.race([work, timeout])
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    const reason = typeof e.code === 'string' ? e.code : 'EIO'
    const path = typeof e.path === 'string' ? e.path : current
    const what = role === 'run' ? 'the run directory' : 'the clip cache'
    throw schedulerError(
      'SCHED_UNWRITABLE',
      `Cannot write ${what} ${path}: ${e.message}. Nothing was submitted.`,
      { path, role, reason },
      error,
    )
  } finally {
    clearTimeout(timer)
  }
}

async function makeDir(dir: string): Promise<void> {
  const missing: string[] = []
  for (let at = dir; ; at = dirname(at)) {
    // ENOTDIR: something above is a file; walking up finds it and names it.
    const found = await stat(at).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined
      throw error
    })
    if (found) {
      if (!found.isDirectory())
        throw Object.assign(new Error(`${at} is a file, not a directory`), { code: 'ENOTDIR', path: at })
      break
    }
    missing.push(at)
    if (dirname(at) === at) break
  }
  for (const path of missing.reverse()) {
    await mkdir(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error
    })
  }
}
