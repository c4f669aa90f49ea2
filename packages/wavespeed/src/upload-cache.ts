import { createHash, randomUUID } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

interface Entry {
  readonly url: string
  /** Epoch ms of the upload. */
  readonly uploadedAt: number
}

interface CacheFile {
  readonly version: 1
  readonly entries: Record<string, Entry>
}

export interface UploadCacheOptions {
  /** JSON file to persist to; omitted keeps the cache in memory. */
  readonly path?: string
  /** Entries older than this are uploaded again. Default 6 days (WaveSpeed keeps uploads 7). */
  readonly maxAgeMs?: number
  readonly now?: () => number
}

/** Upload URLs by sha256 of the bytes, so the same image is uploaded once per 6 days. */
export interface UploadCache {
  /** Returns the cached URL for `bytes`, or runs `upload` once (concurrent callers share it) and caches its URL. */
  getOrUpload(bytes: Uint8Array, upload: () => Promise<string>): Promise<string>
  /** The fresh cached URL for a sha256, if any. */
  lookup(sha256: string): Promise<string | undefined>
}

export const SIX_DAYS_MS = 6 * 24 * 3600 * 1000

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

export function createUploadCache(options: UploadCacheOptions = {}): UploadCache {
  const maxAge = options.maxAgeMs ?? SIX_DAYS_MS
  const now = options.now ?? Date.now
  const inFlight = new Map<string, Promise<string>>()
  let entries: Record<string, Entry> | undefined
  let writes = Promise.resolve()

  async function load(): Promise<Record<string, Entry>> {
    if (entries) return entries
    let loaded: Record<string, Entry> = {}
    if (options.path) {
      try {
        const parsed = JSON.parse(await readFile(options.path, 'utf8')) as Partial<CacheFile>
        if (parsed.version === 1 && parsed.entries) loaded = parsed.entries
      } catch {
        // A missing or corrupt cache only costs re-uploads.
      }
    }
    entries ??= loaded
    return entries
  }

  function persist(): Promise<void> {
    const path = options.path
    if (!path) return Promise.resolve()
    // Serialised, and atomic via rename, so concurrent runs never read half a file.
    writes = writes.then(async () => {
      const fresh = Object.fromEntries(
        Object.entries(entries ?? {}).filter(([, e]) => now() - e.uploadedAt < maxAge),
      )
      const tmp = `${path}.${randomUUID().slice(0, 8)}.tmp`
      await mkdir(dirname(path), { recursive: true })
      await writeFile(tmp, JSON.stringify({ version: 1, entries: fresh } satisfies CacheFile, null, 1))
      await rename(tmp, path)
    })
    return writes
  }

  async function lookup(hash: string): Promise<string | undefined> {
    const entry = (await load())[hash]
    return entry && now() - entry.uploadedAt < maxAge ? entry.url : undefined
  }

  return {
    lookup,
    async getOrUpload(bytes, upload) {
      const hash = sha256(bytes)
      const cached = await lookup(hash)
      if (cached) return cached
      let pending = inFlight.get(hash)
      if (!pending) {
        pending = (async () => {
          const url = await upload()
          ;(await load())[hash] = { url, uploadedAt: now() }
          await persist()
          return url
        })().finally(() => inFlight.delete(hash))
        inFlight.set(hash, pending)
      }
      return pending
    },
  }
}
