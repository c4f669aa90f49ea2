import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runDir } from './run-dir.ts'

/**
 * Creates the run directory and proves it is writable before anything is paid
 * for, so an unwritable `--out` fails at once with the path in the error
 * instead of after the first prediction.
 */
export async function prepareRunDir(root: string): Promise<void> {
  await mkdir(root, { recursive: true })
  // Not recursive: on a read-only file system a recursive mkdir reports ENOENT, which would hide the cause.
  const dir = runDir(root)
  for (const sub of [dir.shotsDir, dir.framesDir]) {
    await mkdir(sub).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error
    })
  }
  const probe = join(root, `.write-test-${process.pid}`)
  await writeFile(probe, '')
  await rm(probe, { force: true })
}
