import { stat } from 'node:fs/promises'
import type { CachedClip, ClipCache } from '@storyreel/scheduler'
import type { Redis } from 'ioredis'
import { keys } from './keys.ts'
import type { Store } from './store.ts'

interface IndexEntry {
  /** Relative to the store. */
  readonly file: string
  readonly sha256: string
  readonly size: number
  readonly predictionId?: string
}

/**
 * The chain-aware clip cache of the farm: the index (cache key -> clip facts) in Redis, the
 * clips in the store. The index entry is written after the clip is in place, so an entry
 * always names a whole file. Without a store (a `render` that cannot see it) lookups trust
 * the index alone; workers check the bytes before reusing a clip.
 */
export function openRedisClipCache(redis: Redis, store: Store | undefined): ClipCache {
  return {
    prepare: async () => store?.prepare(),
    async lookup(key) {
      const raw = await redis.hget(keys.cache, key)
      if (!raw) return undefined
      const entry = JSON.parse(raw) as IndexEntry
      const path = store ? store.pathOf(entry.file) : entry.file
      if (store) {
        const file = await stat(path).catch(() => undefined)
        if (file?.size !== entry.size) return undefined
      }
      return {
        key,
        path,
        sha256: entry.sha256,
        size: entry.size,
        ...(entry.predictionId ? { predictionId: entry.predictionId } : {}),
      }
    },
    async store(key, file, facts): Promise<CachedClip> {
      if (!store) throw new Error('A clip cache without a store cannot take clips.')
      const path = await store.putClip(key, file)
      const { size } = await stat(path)
      const entry: IndexEntry = {
        file: store.nameOf(path)!,
        sha256: facts.sha256,
        size,
        ...(facts.predictionId ? { predictionId: facts.predictionId } : {}),
      }
      await redis.hset(keys.cache, key, JSON.stringify(entry))
      return {
        key,
        path,
        sha256: facts.sha256,
        size,
        ...(facts.predictionId ? { predictionId: facts.predictionId } : {}),
      }
    },
  }
}
