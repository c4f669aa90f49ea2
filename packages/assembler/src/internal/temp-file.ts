import { randomBytes } from 'node:crypto'
import { rename, rm } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'

/**
 * Writes `final` atomically: `write` produces a temporary sibling (same folder,
 * same extension so ffmpeg picks the right muxer), which is then renamed; on
 * failure the temporary file is removed and the error rethrown.
 */
export async function writeAtomically<T>(final: string, write: (temp: string) => Promise<T>): Promise<T> {
  const ext = extname(final)
  const temp = join(dirname(final), `.${basename(final, ext)}.${process.pid}-${randomBytes(4).toString('hex')}.partial${ext}`)
  try {
    const result = await write(temp)
    await rename(temp, final)
    return result
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}
