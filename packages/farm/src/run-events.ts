import type { SchedulerEvent } from '@storyreel/scheduler'
import type { Redis } from 'ioredis'
import { keys } from './keys.ts'
import type { RunFinished } from './run-record.ts'

/** What `render --queue` follows: the scheduler's events from every worker, then the run's end. */
export type FarmEvent =
  | { readonly kind: 'shot'; readonly event: SchedulerEvent }
  | {
      readonly kind: 'end'
      readonly status: 'completed' | 'failed' | 'interrupted' | 'canceled'
      readonly finished?: RunFinished
      readonly message?: string
    }

export async function publish(redis: Redis, runId: string, event: FarmEvent): Promise<void> {
  await redis.xadd(keys.events(runId), '*', 'e', JSON.stringify(event))
}

/** Every event of the run so far, in order. */
export async function readEvents(redis: Redis, runId: string): Promise<FarmEvent[]> {
  const entries = await redis.xrange(keys.events(runId), '-', '+')
  return entries.map(([, fields]) => JSON.parse(fields[1]!) as FarmEvent)
}

/**
 * Calls `onEvent` for each event of the run from the first, until the run's end (returned) or
 * the signal aborts (undefined). Uses its own connection: a blocking read holds it.
 */
export async function followEvents(
  redis: Redis,
  runId: string,
  onEvent: (event: FarmEvent) => void,
  signal?: AbortSignal,
): Promise<Extract<FarmEvent, { kind: 'end' }> | undefined> {
  const reader = redis.duplicate()
  const stop = () => reader.disconnect()
  signal?.addEventListener('abort', stop, { once: true })
  let last = '0'
  try {
    while (!signal?.aborted) {
      const answer = await reader
        .xread('COUNT', 500, 'BLOCK', 1000, 'STREAMS', keys.events(runId), last)
        .catch((error: unknown) => {
          if (signal?.aborted) return null
          throw error
        })
      for (const [, entries] of answer ?? []) {
        for (const [id, fields] of entries) {
          last = id
          const event = JSON.parse(fields[1]!) as FarmEvent
          onEvent(event)
          if (event.kind === 'end') return event
        }
      }
    }
    return undefined
  } finally {
    signal?.removeEventListener('abort', stop)
    reader.disconnect()
  }
}
