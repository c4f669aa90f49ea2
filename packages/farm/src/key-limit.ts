import type { Redis } from 'ioredis'
import { keys } from './keys.ts'

/** Quiet time after a 429 before each slot is given back, as the local scheduler's default. */
export const RATE_LIMIT_QUIET_MS = 30_000

// Both scripts read the time from Redis, so every machine's cuts and recoveries share one clock,
// and write BullMQ's global concurrency of the shot queue in the same step (what
// `Queue.setGlobalConcurrency` writes), so no worker can interleave an older limit.
const CUT = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local max = tonumber(redis.call('HGET', KEYS[1], 'max') or ARGV[3])
local limit = tonumber(redis.call('HGET', KEYS[1], 'limit') or max)
local cutUntil = tonumber(redis.call('HGET', KEYS[1], 'cutUntil') or '0')
local retryAfter = tonumber(ARGV[1])
if ms >= cutUntil then
  limit = math.max(1, math.floor(limit / 2))
  cutUntil = ms + math.max(retryAfter, 1000)
end
redis.call('HSET', KEYS[1], 'max', max, 'limit', limit, 'cutUntil', cutUntil, 'recoverAt', ms + math.max(retryAfter, 0) + tonumber(ARGV[2]))
redis.call('HSET', KEYS[2], 'concurrency', limit)
return limit`

const RECOVER = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local max = tonumber(redis.call('HGET', KEYS[1], 'max') or '0')
local limit = tonumber(redis.call('HGET', KEYS[1], 'limit') or '0')
local recoverAt = tonumber(redis.call('HGET', KEYS[1], 'recoverAt') or '0')
if limit > 0 and limit < max and ms >= recoverAt then
  limit = limit + 1
  redis.call('HSET', KEYS[1], 'limit', limit, 'recoverAt', ms + tonumber(ARGV[1]))
  redis.call('HSET', KEYS[2], 'concurrency', limit)
end
return limit`

// Only when no limit was ever set: a worker or `render` starting without --key-concurrency must not
// undo the limit another one just set.
const ENSURE = `
if redis.call('HEXISTS', KEYS[1], 'max') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'max', ARGV[1], 'limit', ARGV[1], 'cutUntil', 0, 'recoverAt', 0)
redis.call('HSET', KEYS[2], 'concurrency', ARGV[1])
return 1`

/**
 * The API key's concurrency, shared by every worker: BullMQ's global concurrency of the shot
 * queue is the number of shots holding a prediction slot at once, farm-wide. A 429 halves it
 * (once per back-off window, whoever saw it) and each quiet period gives one slot back: the
 * local scheduler's AIMD, kept in Redis.
 */
export interface KeyLimit {
  /** Sets the most predictions in flight for the key; the current limit starts there. */
  configure(max: number): Promise<void>
  /** Sets the limit to `max` only when none was ever set. */
  ensure(max: number): Promise<void>
  /** A worker was told "too many requests": halve the shared limit. Returns the new limit. */
  rateLimited(retryAfterMs: number): Promise<number>
  /** Gives a slot back when the quiet period has passed; call it now and then. */
  recover(): Promise<number>
  current(): Promise<{ max: number; limit: number } | undefined>
}

export function keyLimit(redis: Redis, quietMs = RATE_LIMIT_QUIET_MS, fallbackMax = 4): KeyLimit {
  const both = [keys.keyLimit, keys.shotQueueMeta]
  return {
    async configure(max) {
      await redis
        .multi()
        .hset(keys.keyLimit, { max, limit: max, cutUntil: 0, recoverAt: 0 })
        .hset(keys.shotQueueMeta, 'concurrency', max)
        .exec()
    },
    ensure: async (max) => void (await redis.eval(ENSURE, 2, ...both, max)),
    rateLimited: async (retryAfterMs) =>
      Number(await redis.eval(CUT, 2, ...both, retryAfterMs, quietMs, fallbackMax)),
    recover: async () => Number(await redis.eval(RECOVER, 2, ...both, quietMs)),
    async current() {
      const [max, limit] = await redis.hmget(keys.keyLimit, 'max', 'limit')
      return max && limit ? { max: Number(max), limit: Number(limit) } : undefined
    },
  }
}
