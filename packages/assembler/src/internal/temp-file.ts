import { randomBytes } from 'node:crypto'
import { rename, rm } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'

/** A unique hidden sibling of `final` with the same extension, so ffmpeg still picks the right muxer. */
export function tempSibling(final: string): string {
  const ext = extname(final)
  return join(
    dirname(final),
    `.${basename(final, ext)}.${process.pid}-${randomBytes(4).toString('hex')}.partial${ext}`,
  )
}

/**
 * Writes `final` atomically: `write` produces a temporary sibling, which is then
 * renamed; on failure the temporary file is removed and the error rethrown.
 */
export async function writeAtomically<T>(final: string, write: (temp: string) => Promise<T>): Promise<T> {
  const temp = tempSibling(final)
  try {
    const result = await write(temp)
    await rename(temp, final)
    return result
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}
