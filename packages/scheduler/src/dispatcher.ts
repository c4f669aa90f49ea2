import type { PlannedShot } from '@storyreel/core'
import { createAdaptiveConcurrency } from './adaptive-concurrency.ts'
import type { RenderDecision } from './decide-shot.ts'

/** One take of a shot, decided and waiting for a slot. */
export interface ReadyShot {
  readonly shot: PlannedShot
  readonly take: number
  readonly decision: RenderDecision
}

/** A take's hold on one of the account's slots. */
export interface Slot {
  /** Frees the slot before the shot's work ends; a no-op the second time. */
  release(): void
}

export interface DispatcherOptions {
  /** Most shots in slots at once; halved for a while after a 429. */
  readonly concurrency: number
  readonly rateLimitQuietMs?: number
  /**
   * A waiting take's priority, in seconds of work left behind it: the highest goes first, then storyboard
   * order, then take order. A shot's picked take carries its chain; its other takes only themselves.
   */
  readonly rank: (item: ReadyShot) => number
  /** The priority of a shot's picked take before it is ready (for `outranksWaiting`). */
  readonly shotRank: (shot: string) => number
  readonly signal?: AbortSignal
  /** Runs a shot in a slot, freed when the promise settles or earlier through `slot.release()`. Must not reject. */
  readonly start: (item: ReadyShot, slot: Slot) => Promise<void>
  /** A queued shot dropped because the signal aborted. */
  readonly dropped: (item: ReadyShot) => void
}

/** Hands the account's slots to ready shots by priority, within an adaptive (AIMD) limit. */
export interface Dispatcher {
  /** Runs a shot's decision; dispatching waits meanwhile, so a shot decided a moment sooner cannot take the slot of a longer chain's head. */
  deciding(work: () => Promise<void>): Promise<void>
  enqueue(item: ReadyShot): void
  /** True when one of `shots` would win a slot over every shot waiting now. */
  outranksWaiting(shots: readonly string[]): boolean
  /** The service said "too many requests". */
  rateLimited(retryAfterMs: number): void
  stop(): void
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const ready: ReadyShot[] = []
  const order = (a: ReadyShot, b: ReadyShot) =>
    options.rank(b) - options.rank(a) || a.shot.index - b.shot.index || a.take - b.take
  let running = 0
  let deciding = 0
  const adaptive = createAdaptiveConcurrency({
    max: options.concurrency,
    ...(options.rateLimitQuietMs === undefined ? {} : { quietMs: options.rateLimitQuietMs }),
    onChange: () => dispatch(),
  })

  const dispatch = () => {
    if (options.signal?.aborted) {
      for (const item of ready.splice(0)) options.dropped(item)
      return
    }
    if (deciding > 0) return
    ready.sort(order)
    while (running < adaptive.limit && ready.length > 0) {
      const item = ready.shift()!
      running++
      let held = true
      const slot: Slot = {
        release() {
          if (!held) return
          held = false
          running--
          dispatch()
        },
      }
      void options.start(item, slot).finally(() => slot.release())
    }
  }
  const onAbort = () => dispatch()
  options.signal?.addEventListener('abort', onAbort, { once: true })

  return {
    async deciding(work) {
      deciding++
      try {
        await work()
      } finally {
        deciding--
        dispatch()
      }
    },
    enqueue(item) {
      ready.push(item)
    },
    outranksWaiting: (shots) =>
      Math.max(-Infinity, ...shots.map(options.shotRank)) > Math.max(-Infinity, ...ready.map(options.rank)),
    rateLimited: (ms) => adaptive.rateLimited(ms),
    stop() {
      options.signal?.removeEventListener('abort', onAbort)
      adaptive.stop()
    },
  }
}
