import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Milliseconds on a monotonic clock. Timers fire against the event loop's cached
 * time, which can lag the real time by a millisecond, so a `setTimeout(1000)` can
 * end 999 ms after the moment the caller measured: durations the simulator
 * promises (latency, queue delay) are measured and enforced on this clock instead.
 */
export function monotonicNow(): number {
  return performance.now()
}

/** The epoch time (ms, fractional) of a `monotonicNow()` reading. */
export function epochOf(monotonic: number): number {
  return performance.timeOrigin + monotonic
}

/** Resolves once `monotonicNow()` has reached `deadline`, never earlier. */
export async function sleepUntil(deadline: number, signal: AbortSignal): Promise<void> {
  for (let left = deadline - monotonicNow(); left > 0; left = deadline - monotonicNow()) {
    await sleep(Math.ceil(left), undefined, { signal })
  }
}

/** Whole milliseconds from `from` to `to`, rounded up so a guaranteed minimum is never reported as less. */
export function elapsedMs(from: number, to: number): number {
  return Math.ceil(to - from)
}
