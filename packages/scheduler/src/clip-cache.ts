import { readFile, stat, writeFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { linkOrCopy } from './link-or-copy.ts'

export interface CachedClip {
  readonly key: string
  readonly path: string
  readonly sha256: string
  readonly size: number
  /** Which prediction made it, for the manifest. */
  readonly predictionId?: string
}

/**
 * Content-addressed clips that outlive a run: `<cacheDir>/clips/<key>.mp4` plus a
 * `<key>.json` sidecar written last, so an entry without its sidecar never counts.
 */
export interface ClipCache {
  lookup(key: string): Promise<CachedClip | undefined>
  store(key: string, file: string, facts: { sha256: string; predictionId?: string }): Promise<CachedClip>
}

export function openClipCache(cacheDir: string): ClipCache {
  const dir = join(cacheDir, 'clips')
  const clipPath = (key: string) => join(dir, `${key}.mp4`)
  const metaPath = (key: string) => join(dir, `${key}.json`)

  return {
    async lookup(key) {
      let meta: CachedClip
      try {
        meta = JSON.parse(await readFile(metaPath(key), 'utf8')) as CachedClip
        const file = await stat(clipPath(key))
        // A size check catches truncation cheaply; the run re-hashes what it links.
        if (file.size !== meta.size) return undefined
      } catch {
        return undefined
      }
      return { ...meta, key, path: clipPath(key) }
    },

    async store(key, file, facts) {
      await linkOrCopy(file, clipPath(key))
      const { size } = await stat(clipPath(key))
      const entry: CachedClip = { key, path: clipPath(key), size, sha256: facts.sha256, ...(facts.predictionId ? { predictionId: facts.predictionId } : {}) }
      const tmp = `${metaPath(key)}.${process.pid}.tmp`
      await writeFile(tmp, JSON.stringify(entry))
      await rename(tmp, metaPath(key))
      return entry
    },
  }
}
