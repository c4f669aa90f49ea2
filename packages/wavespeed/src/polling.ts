import type { PredictionStatus } from './types.ts'

/**
 * When to ask for a prediction's result.
 *
 * The next poll comes `clamp(baseMs + growth·elapsed, minMs, maxMs)` after the
 * previous one, so poll times grow geometrically: t(n+1) = (1 + growth)·t(n) + base.
 * A completion at time T is noticed at the next poll, at most one interval later.
 *
 * - Worst-case lag ≤ 2 s + 10%·T needs base 2 s, growth 0.1: t(n) = 20·(1.1^n − 1) s,
 *   so a 120 s render costs ln 7 / ln 1.1 ≈ 21 requests (`POLL_BOUNDED`).
 * - About 10 requests for 120 s needs growth 0.2 (ln 7 / ln 1.2 ≈ 11); with base 4 s the
 *   lag is ≤ 2 s + 10%·T on average (a completion lands uniformly inside an interval,
 *   so it waits half of it) and ≤ 4 s + 20%·T at worst (`POLL_ECONOMICAL`, the default).
 *
 * No schedule that does not know the render time meets both targets in the worst case;
 * see BENCHMARKS.md for measured figures.
 */
export interface PollPolicy {
  /** Delay before the first poll, from the start time. */
  readonly firstMs: number
  /** Interval at elapsed time 0. */
  readonly baseMs: number
  /** Interval added per ms of elapsed time. */
  readonly growth: number
  readonly minMs: number
  readonly maxMs: number
}

/** Default: ~11 requests for a 2-minute render, mean lag ≤ 2 s + 10% of the render time. */
export const POLL_ECONOMICAL: PollPolicy = {
  firstMs: 2000,
  baseMs: 4000,
  growth: 0.2,
  minMs: 1000,
  maxMs: 30_000,
}

/** Worst-case lag ≤ 2 s + 10% of the render time, at ~21 requests for a 2-minute render. */
export const POLL_BOUNDED: PollPolicy = {
  firstMs: 1000,
  baseMs: 2000,
  growth: 0.1,
  minMs: 1000,
  maxMs: 30_000,
}

/** Sparse polls for when webhook deliveries are expected: about 5 requests for a 2-minute render, in case none arrives. */
export const POLL_WEBHOOK_FALLBACK: PollPolicy = {
  firstMs: 15_000,
  baseMs: 10_000,
  growth: 0.5,
  minMs: 5000,
  maxMs: 60_000,
}

/** What one status read (or webhook delivery) found. */
export interface PollAnswer {
  /** ms since the submission. */
  readonly elapsedMs: number
  readonly status: PredictionStatus
  /** It came in a webhook delivery: its time is the completion's own. */
  readonly delivered?: boolean
}

/** A schedule that may adapt to what the polls find; one per wait. A `PollPolicy` is the fixed kind. */
export interface PollPlan {
  /** ms from the submission to the first poll. */
  readonly firstMs: number
  /** Failed status reads back off up to twice this. */
  readonly maxMs: number
  /** Told every answer, the final one included; returns the ms until the next poll. */
  observe(answer: PollAnswer): number
}

/** Interval between the poll at `elapsedMs` and the next one. */
export function pollInterval(elapsedMs: number, policy: PollPolicy): number {
  return Math.min(policy.maxMs, Math.max(policy.minMs, policy.baseMs + policy.growth * elapsedMs))
}

export function planOf(poll: PollPolicy | PollPlan): PollPlan {
  if ('observe' in poll) return poll
  return {
    firstMs: poll.firstMs,
    maxMs: poll.maxMs,
    observe: (answer) => pollInterval(answer.elapsedMs, poll),
  }
}

/**
 * Elapsed times of the polls needed to notice a completion at `doneMs` (the last one notices it),
 * for a prediction queued (`created`) until `startMs` and rendering until `doneMs`.
 */
export function pollSchedule(doneMs: number, poll: PollPolicy | PollPlan, startMs = 0): number[] {
  const plan = planOf(poll)
  const times: number[] = []
  let t = plan.firstMs
  for (;;) {
    times.push(t)
    const status: PredictionStatus = t >= doneMs ? 'completed' : t < startMs ? 'created' : 'processing'
    const wait = plan.observe({ elapsedMs: t, status })
    if (status === 'completed') return times
    t += wait
  }
}
