import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import writeFileAtomic from 'write-file-atomic'
import { linkOrCopy } from './link-or-copy.ts'
import { prepareDirs } from './prepare-dir.ts'
import { redact } from './redact.ts'

export interface CachedClip {
  readonly key: string
  readonly path: string
  readonly sha256: string
  readonly size: number
  /** Which prediction made it, for the manifest. */
  readonly predictionId?: string
  /** Where that prediction's clip can be fetched again (free) if the cached bytes go bad. */
  readonly output?: string
}

/**
 * Clips that outlive a run, addressed by their cache key, shared by every run (and, for a
 * farm, every machine). A run only reads and adds; nothing is ever replaced in place.
 */
export interface ClipCache {
  /** Creates the cache and proves it writable before anything is paid: `SCHED_UNWRITABLE`. */
  prepare(): Promise<void>
  lookup(key: string): Promise<CachedClip | undefined>
  store(
    key: string,
    file: string,
    facts: { sha256: string; predictionId?: string; output?: string },
  ): Promise<CachedClip>
}

export interface ClipCacheOptions {
  /** Strings (the API key) scrubbed from the metadata written beside each clip. */
  readonly secrets?: readonly string[]
  readonly prepareTimeoutMs?: number
}

/**
 * The file cache: `<cacheDir>/clips/<key>.mp4` plus a `<key>.json` sidecar written last,
 * so an entry without its sidecar never counts.
 */
export function openClipCache(cacheDir: string, options: ClipCacheOptions = {}): ClipCache {
  const dir = join(cacheDir, 'clips')
  const clipPath = (key: string) => join(dir, `${key}.mp4`)
  const metaPath = (key: string) => join(dir, `${key}.json`)

  return {
    prepare: () => prepareDirs([cacheDir, dir], 'cache', options.prepareTimeoutMs),

    async lookup(key) {
      let meta: CachedClip
      try {
        meta = JSON.parse(await readFile(metaPath(key), 'utf8')) as CachedClip
      } catch {
        return undefined
      }
      // A clip that is missing or damaged is still returned with its facts: the run hashes what it
      // links and, when the bytes went bad, fetches the prediction's output again from `output`.
      return { ...meta, key, path: clipPath(key) }
    },

    async store(key, file, facts) {
      await linkOrCopy(file, clipPath(key))
      const { size } = await stat(clipPath(key))
      const entry: CachedClip = {
        key,
        path: clipPath(key),
        size,
        sha256: facts.sha256,
        ...(facts.predictionId ? { predictionId: facts.predictionId } : {}),
        ...(facts.output ? { output: facts.output } : {}),
      }
      await writeFileAtomic(metaPath(key), redact(JSON.stringify(entry), options.secrets ?? []))
      return entry
    },
  }
}
