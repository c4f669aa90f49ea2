export interface AdaptiveConcurrencyOptions {
  /** The most slots ever used: the caller's `concurrency`. */
  readonly max: number
  /** Quiet time without a rate limit before one slot is given back. Default 30 000 ms. */
  readonly quietMs?: number
  /** Called whenever the effective limit changes. */
  readonly onChange: (limit: number) => void
}

export interface AdaptiveConcurrency {
  readonly limit: number
  /** The service said "too many requests": halve the limit (at least 1), once per back-off window. */
  rateLimited(retryAfterMs: number): void
  /** Stops the recovery timer. */
  stop(): void
}

/**
 * AIMD-style limit for an account's concurrency: halve on a 429, then add one slot
 * back after each quiet period. Several requests in flight usually hit the same
 * 429 window, so reports within `retryAfterMs` of the last cut count once.
 */
export function createAdaptiveConcurrency(options: AdaptiveConcurrencyOptions): AdaptiveConcurrency {
  const quietMs = options.quietMs ?? 30_000
  let limit = options.max
  let cutUntil = 0
  let timer: NodeJS.Timeout | undefined

  const set = (value: number) => {
    if (value === limit) return
    limit = value
    options.onChange(limit)
  }
  const scheduleRecovery = (delay: number) => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      set(Math.min(options.max, limit + 1))
      if (limit < options.max) scheduleRecovery(quietMs)
    }, delay)
    timer.unref()
  }

  return {
    get limit() {
      return limit
    },
    rateLimited(retryAfterMs) {
      const now = Date.now()
      if (now >= cutUntil) {
        set(Math.max(1, Math.floor(limit / 2)))
        cutUntil = now + Math.max(retryAfterMs, 1000)
      }
      scheduleRecovery(Math.max(retryAfterMs, 0) + quietMs)
    },
    stop() {
      clearTimeout(timer)
    },
  }
}
