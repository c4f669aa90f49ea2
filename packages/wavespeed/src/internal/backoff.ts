/** Resolves after `ms`, or rejects with `signal.reason` when the signal aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason)
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

export interface BackoffOptions {
  /** Delay scale of the first retry, in ms. */
  readonly baseMs: number
  /** Upper bound of any single delay, in ms. */
  readonly capMs: number
}

/**
 * "Full jitter" exponential backoff: a uniform draw in [0, min(cap, base·2^attempt)],
 * which spreads retries of many clients instead of synchronising them.
 */
export function jitteredDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  return Math.round(random() * Math.min(options.capMs, options.baseMs * 2 ** attempt))
}

/** Parses `Retry-After` (delta seconds or an HTTP date) into ms from `now`. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
