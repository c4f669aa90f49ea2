import { cp, mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'

/** The clip cache's old home: `.storyreel-cache/` in the current directory (storyreel before 0.1). */
const OLD_CACHE_DIR = '.storyreel-cache'

/**
 * Moves an old `./.storyreel-cache/` into `cacheDir`, once: afterwards the old folder is gone.
 * An entry `cacheDir` already has is kept there (entries are content-addressed: the same key
 * is the same clip). A clip's `.json` sidecar moves after its clip, so an entry is never
 * counted before its clip arrived. Returns the old folder when something was moved.
 */
export async function migrateOldCache(cwd: string, cacheDir: string): Promise<string | undefined> {
  const old = join(cwd, OLD_CACHE_DIR)
  if (resolve(old) === resolve(cacheDir)) return undefined
  const found = await stat(old).catch(() => undefined)
  if (!found?.isDirectory()) return undefined
  await mkdir(cacheDir, { recursive: true })
  await moveInto(old, cacheDir)
  return old
}

async function moveInto(from: string, to: string): Promise<void> {
  const entries = await readdir(from, { withFileTypes: true })
  entries.sort((a, b) => Number(a.name.endsWith('.json')) - Number(b.name.endsWith('.json')))
  for (const entry of entries) {
    const source = join(from, entry.name)
    const target = join(to, entry.name)
    const existing = await stat(target).catch(() => undefined)
    if (!existing) await move(source, target)
    else if (existing.isDirectory() && entry.isDirectory()) await moveInto(source, target)
    else await rm(source, { recursive: true, force: true })
  }
  await rmdir(from)
}

/** A rename, or a copy then delete when the two are on different file systems. */
async function move(source: string, target: string): Promise<void> {
  try {
    await rename(source, target)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error
    await cp(source, `${target}.partial`, { recursive: true })
    await rename(`${target}.partial`, target)
    await rm(source, { recursive: true, force: true })
  }
}
