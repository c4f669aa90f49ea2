import type { Provider } from '@storyreel/core'
import type { ClipHooks } from '@storyreel/scheduler'
import type { AssembleHook } from './assembly-job.ts'
import type { Store } from './store.ts'

/** One line of the worker's log: a job's state, or the worker's own. */
export interface WorkerLog {
  readonly at: number
  readonly state:
    | 'ready'
    | 'started'
    | 'done'
    | 'cached'
    | 'failed'
    | 'skipped'
    | 'aborted'
    | 'handed-back'
    | 'lock-lost'
    | 'assembled'
    | 'redis-down'
    | 'redis-up'
    | 'stopping'
    | 'stopped'
  readonly run?: string
  readonly shot?: string
  readonly predictionId?: string
  readonly message: string
}

export interface WorkerOptions {
  readonly redisUrl: string
  readonly store: Store
  /** Jobs this worker holds at once; the key's limit across all workers caps shots further. */
  readonly concurrency: number
  /** Sets the key's limit for the whole farm; otherwise the one already in Redis (4 when none). */
  readonly keyConcurrency?: number
  /** Opens the provider a run names, from this worker's own environment. */
  readonly provider: (name: string) => Promise<Provider>
  readonly hooks: Pick<ClipHooks, 'extractFrames' | 'verifyClip'>
  readonly assemble: AssembleHook
  /** This worker's API key (and any other secret): never written to Redis, the store or a job. */
  readonly secrets: readonly string[]
  readonly log: (line: WorkerLog) => void
  /** A job whose worker stops renewing its lock is taken over after about this long. Default 30 000 ms. */
  readonly lockMs?: number
  readonly rateLimitQuietMs?: number
}
