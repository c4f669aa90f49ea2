import type { PollPlan, PollPolicy } from './polling.ts'
import { POLL_BOUNDED, pollInterval } from './polling.ts'

export interface RenderTimePlanOptions {
  /** Render times (ms from the start of rendering to completion) of earlier predictions like this one; empty when unseen. */
  readonly samples: readonly number[]
  /** Called once, when the prediction completes, with the render time this wait observed. */
  readonly onRenderTime?: (ms: number) => void
  /** Schedule for a model never seen. Default `POLL_BOUNDED`. */
  readonly fallback?: PollPolicy
}

/** Polls this far apart inside the window: a completion there waits 1.5 s on average. */
const WINDOW_GAP_MS = 3000
/** The first poll of a known model: it tells whether the render started or waits for a slot. */
const FIRST_POLL_MS = 2000
/** Before the window, each poll comes this many times later (since the render started) than the last. */
const LEAD_IN_FACTOR = 4
/** ...but no more than this apart, so a failure early in a long render is still seen within a minute. */
const LEAD_IN_MAX_MS = 60_000
/** The window spans these quantiles of the samples, widened for small samples. */
const WINDOW_QUANTILES = [0.2, 0.8] as const

/** Linear-interpolated quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  const at = q * (sorted.length - 1)
  const below = sorted[Math.floor(at)]!
  return below + (sorted[Math.ceil(at)]! - below) * (at - Math.floor(at))
}

/** Where completions are expected, in ms since the render started: the central 60% of the samples, plus a margin that shrinks as samples accumulate. */
export function completionWindow(samples: readonly number[]): {
  readonly fromMs: number
  readonly toMs: number
} {
  const sorted = [...samples].sort((a, b) => a - b)
  const margin = Math.max(WINDOW_GAP_MS, (0.1 * quantile(sorted, 0.5)) / Math.sqrt(sorted.length))
  return {
    fromMs: Math.max(0, quantile(sorted, WINDOW_QUANTILES[0]) - margin),
    toMs: quantile(sorted, WINDOW_QUANTILES[1]) + margin,
  }
}

/**
 * A poll plan that concentrates requests where completion is likely, given how long earlier renders
 * of the same model took. For a 2-minute render varying ±15% it makes about 10 requests and notices
 * completion a median 1.7 s late (BENCHMARKS.md), where a schedule that knows nothing has to choose
 * between 12 requests at 12-16 s and 21 at 6-8 s.
 *
 * Times count from the start of rendering, not the submission: a prediction waiting for a slot at the
 * API (`created`) has not started. The start is estimated as the midpoint between the last answer that
 * said `created` (or the submission) and the first that did not, and the completion, when polled, as the
 * midpoint between the last pending answer and the one that said `completed` (a webhook delivery gives
 * it exactly): the render time passed to `onRenderTime` is measured the way the plan uses it.
 *
 * - Lead-in: polls spread out geometrically from the start (they catch early failures).
 * - Window (`completionWindow`): a poll every 3 s.
 * - After it: 2 s + 10% of the overrun between polls, as `POLL_BOUNDED` does from the submission.
 * With no samples, the `fallback` policy decides every poll, and the plan only measures.
 */
export function renderTimePlan(options: RenderTimePlanOptions): PollPlan {
  const fallback = options.fallback ?? POLL_BOUNDED
  const window = options.samples.length > 0 ? completionWindow(options.samples) : undefined
  // While queued, poll often enough that the start is known to within a small part of the render.
  const queuedGap = window ? Math.min(10_000, Math.max(1000, window.toMs / 10)) : undefined
  let lastElapsed = 0
  let renderStart: number | undefined
  let reported = false

  function sinceStartNext(sinceStart: number): number {
    const { fromMs, toMs } = window!
    if (sinceStart < fromMs)
      return Math.min(
        fromMs,
        sinceStart + LEAD_IN_MAX_MS,
        Math.max(sinceStart * LEAD_IN_FACTOR, sinceStart + 1000),
      )
    if (sinceStart < toMs) return sinceStart + WINDOW_GAP_MS
    return sinceStart + Math.min(30_000, 2000 + 0.1 * (sinceStart - toMs))
  }

  return {
    firstMs: window ? FIRST_POLL_MS : fallback.firstMs,
    maxMs: fallback.maxMs,
    observe({ elapsedMs, status, delivered }) {
      const previous = lastElapsed
      lastElapsed = elapsedMs
      if (status === 'created') return queuedGap ?? pollInterval(elapsedMs, fallback)
      renderStart ??= (previous + elapsedMs) / 2
      if (status === 'completed' && !reported) {
        reported = true
        const doneAt = delivered ? elapsedMs : (Math.max(previous, renderStart) + elapsedMs) / 2
        options.onRenderTime?.(Math.max(0, doneAt - renderStart))
      }
      if (!window) return pollInterval(elapsedMs, fallback)
      const sinceStart = elapsedMs - renderStart
      return Math.max(1, sinceStartNext(sinceStart) - sinceStart)
    },
  }
}
