import { isWaveSpeedError } from '../errors.ts'
import type { BackoffOptions } from './backoff.ts'
import { jitteredDelay, sleep } from './backoff.ts'

export interface RetryOptions extends BackoffOptions {
  /** Further attempts after the first. */
  readonly retries: number
}

export interface RetryHooks {
  readonly signal?: AbortSignal
  readonly onRateLimit?: (retryAfterMs: number) => void
}

/**
 * Runs an idempotent call, retrying 429, 5xx, network errors and unreadable
 * bodies with full-jitter backoff; a 429's Retry-After is a lower bound.
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  options: RetryOptions,
  hooks: RetryHooks = {},
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn()
    } catch (error) {
      if (!isWaveSpeedError(error) || !error.retryable || attempt >= options.retries) throw error
      let delay = jitteredDelay(attempt, options)
      if (error.code === 'WS_RATE_LIMITED') {
        delay = Math.max(delay, error.retryAfterMs ?? options.baseMs)
        hooks.onRateLimit?.(delay)
      }
      await sleep(delay, hooks.signal)
    }
  }
}
