import { Redis } from 'ioredis'
import { farmError } from './errors.ts'

export interface ConnectionOptions {
  /** Told once when Redis stops answering and once when it is back (one line each, not one per retry). */
  readonly onDown?: (message: string) => void
  readonly onUp?: (message: string) => void
}

/** How long to wait before reconnect attempt `times`: doubling from 250 ms up to 5 s. */
export const reconnectDelay = (times: number) => Math.min(250 * 2 ** Math.max(0, times - 1), 5_000)

/** The URL as given, its password (if any) shown as `***`: for commands printed for the user to run. */
export function redisUrlForDisplay(url: string): string {
  try {
    const parsed = new URL(url)
    if (!parsed.password) return url
    parsed.password = '***'
    return parsed.href
  } catch {
    return url
  }
}

/**
 * A Redis connection that waits out an outage: commands queue while it is down (nothing
 * already paid is dropped on the floor) and reconnects back off exponentially. The URL is
 * shown without its password.
 */
export function connectRedis(url: string, options: ConnectionOptions = {}): Redis {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch (cause) {
    throw farmError(
      'FARM_BAD_URL',
      `"${url}" is not a Redis URL; use redis://HOST:PORT (or rediss:// for TLS).`,
      { url },
      cause,
    )
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw farmError(
      'FARM_BAD_URL',
      `"${redisUrlForDisplay(url)}" is not a Redis URL; use redis://HOST:PORT.`,
      {
        url: redisUrlForDisplay(url),
      },
    )
  const shown = `${parsed.hostname}:${parsed.port || '6379'}`
  // BullMQ needs `maxRetriesPerRequest: null`: a command waits for the connection instead of failing.
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: reconnectDelay,
    lazyConnect: false,
  })
  let down = false
  redis.on('error', (error: Error & { code?: string }) => {
    if (down) return
    down = true
    options.onDown?.(
      `Redis at ${shown} is not answering (${error.code ?? error.message}); retrying with backoff, nothing is lost meanwhile.`,
    )
  })
  redis.on('ready', () => {
    if (!down) return
    down = false
    options.onUp?.(`Redis at ${shown} is back.`)
  })
  return redis
}
