/**
 * WaveSpeed client settings for tests (pass them to `createClient`): the defaults are tuned for
 * renders of minutes and a service on the internet, which would make tests crawl.
 */

/** Polling, retries and settling scaled down to the simulator's sub-second renders. */
export const SIMULATOR_CLIENT = {
  retry: { retries: 6, baseMs: 20, capMs: 200 },
  submit: { settleMs: 100, skewMs: 2_000 },
  poll: { firstMs: 50, baseMs: 50, growth: 0, minMs: 25, maxMs: 200 },
} as const

/** Failure paths in milliseconds, for the small servers tests write themselves (hostile or scripted). */
export const TEST_SERVER_CLIENT = {
  retry: { retries: 3, baseMs: 5, capMs: 20 },
  submit: { retries: 3, settleMs: 5, skewMs: 1000, maxResubmits: 1 },
  poll: { firstMs: 5, baseMs: 10, growth: 0.2, minMs: 5, maxMs: 50 },
  requestTimeoutMs: 2000,
} as const
