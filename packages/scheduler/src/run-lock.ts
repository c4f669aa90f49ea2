import { mkdir, open, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { SchedulerError } from './errors.ts'

const LOCK_FILE = 'run.lock'

/**
 * Takes `<runDir>/run.lock` so two processes never render the same run directory
 * (both would re-attach or resubmit the same intents). A lock left by a process
 * that died (kill -9) is taken over.
 * @returns a function that releases the lock.
 */
export async function lockRunDir(runDir: string): Promise<() => Promise<void>> {
  await mkdir(runDir, { recursive: true })
  const file = join(runDir, LOCK_FILE)
  for (let tries = 0; tries < 2; tries++) {
    try {
      const handle = await open(file, 'wx')
      await handle.writeFile(String(process.pid))
      await handle.close()
      return () => rm(file, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim())
      if (pid > 0 && isAlive(pid)) {
        throw new SchedulerError('SCHED_RUN_DIR_LOCKED', `Process ${pid} is already rendering into ${runDir}. Wait for it to finish or stop it first.`, {
          data: { runDir, pid },
        })
      }
      await rm(file, { force: true })
    }
  }
  throw new SchedulerError('SCHED_RUN_DIR_LOCKED', `Could not take the lock ${file}; another run keeps taking it.`, { data: { runDir } })
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
