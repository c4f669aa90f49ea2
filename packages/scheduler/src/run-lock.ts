import { open, readFile, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { schedulerError } from './errors.ts'
import type { RunLock } from './run-store.ts'

/**
 * Takes the lock file so two processes never render the same run directory (both would
 * re-attach or resubmit the same intents). A lock left by a process that died (kill -9) is taken over.
 */
export async function lockFile(file: string): Promise<RunLock> {
  const runDir = dirname(file)
  for (let tries = 0; tries < 2; tries++) {
    try {
      const handle = await open(file, 'wx')
      await handle.writeFile(String(process.pid))
      await handle.close()
      return { release: () => rm(file, { force: true }) }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim())
      if (pid > 0 && isAlive(pid)) {
        throw schedulerError(
          'SCHED_RUN_DIR_LOCKED',
          `Process ${pid} is already rendering into ${runDir}. Wait for it to finish or stop it first.`,
          { runDir, pid },
        )
      }
      await rm(file, { force: true })
    }
  }
  throw schedulerError(
    'SCHED_RUN_DIR_LOCKED',
    `Could not take the lock ${file}; another run keeps taking it.`,
    { runDir },
  )
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
