import { copyFile, link, mkdir, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * Puts `src`'s bytes at `dest` atomically: hard-links when both sit on one file system
 * (free, and clips are never modified in place), copies otherwise.
 */
export async function linkOrCopy(src: string, dest: string): Promise<void> {
  await mkdir(dirname(dest), { recursive: true })
  const tmp = `${dest}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  try {
    try {
      await link(src, tmp)
    } catch {
      await copyFile(src, tmp)
    }
    await rename(tmp, dest)
    // rename() does nothing when both names are already links to one file (a take placed again): the temporary name stays.
    await rm(tmp, { force: true })
  } catch (error) {
    await rm(tmp, { force: true })
    throw error
  }
}
