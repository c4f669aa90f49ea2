import type { Plan } from '@storyreel/core'
import type { RunEstimate } from '@storyreel/scheduler'
import type { Redis } from 'ioredis'
import { farmError } from './errors.ts'
import { keys } from './keys.ts'

/** A run as `render --queue` enqueued it: everything a worker needs, and no secret. */
export interface RunMeta {
  readonly id: string
  readonly plan: Plan
  /** `wavespeed` or `animatic`: each worker opens it from its own environment. */
  readonly provider: string
  readonly paid: boolean
  readonly maxCost?: number
  readonly retries: number
  readonly force: boolean
  readonly only?: readonly string[]
  readonly estimate: RunEstimate
  readonly createdAt: number
  /** The most predictions in flight the account allowed when the run was enqueued, for the manifest. */
  readonly keyConcurrency: number
}

export type RunStatus = 'rendering' | 'assembling' | 'completed' | 'failed' | 'canceled'

/** Where the run's outputs are, relative to the store. */
export interface RunFinished {
  readonly status: 'completed' | 'failed' | 'interrupted'
  readonly reel?: string
  readonly manifest: string
  readonly report: string
}

export async function saveRun(redis: Redis, meta: RunMeta): Promise<void> {
  await redis
    .multi()
    .hset(keys.run(meta.id), { meta: JSON.stringify(meta), status: 'rendering' })
    .zadd(keys.runs, meta.createdAt, meta.id)
    .exec()
}

export async function loadRun(
  redis: Redis,
  runId: string,
): Promise<{ meta: RunMeta; status: RunStatus; finished?: RunFinished }> {
  const [meta, status, finished] = await redis.hmget(keys.run(runId), 'meta', 'status', 'finished')
  if (!meta)
    throw farmError(
      'FARM_UNKNOWN_RUN',
      `No run "${runId}" on this queue: check the id (storyreel render --queue prints it) and the Redis URL.`,
      { runId },
    )
  return {
    meta: JSON.parse(meta) as RunMeta,
    status: (status ?? 'rendering') as RunStatus,
    ...(finished ? { finished: JSON.parse(finished) as RunFinished } : {}),
  }
}

export async function setStatus(
  redis: Redis,
  runId: string,
  status: RunStatus,
  finished?: RunFinished,
): Promise<void> {
  await redis.hset(keys.run(runId), { status, ...(finished ? { finished: JSON.stringify(finished) } : {}) })
}
