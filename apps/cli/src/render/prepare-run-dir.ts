import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * Creates the run directory and proves it is writable before anything is paid
 * for, so an unwritable `--out` fails at once with the path in the error
 * instead of after the first prediction.
 */
export async function prepareRunDir(root: string): Promise<void> {
  await mkdir(join(root, 'shots'), { recursive: true })
  await mkdir(join(root, 'frames'), { recursive: true })
  const probe = join(root, `.write-test-${process.pid}`)
  await writeFile(probe, '')
  await rm(probe, { force: true })
}
