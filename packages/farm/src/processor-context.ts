import { WaitingError } from 'bullmq'
import type { FarmContext } from './farm-context.ts'
import type { JobLeases } from './job-lease.ts'
import type { WorkerLog, WorkerOptions } from './worker-options.ts'

/** What a worker's job processors share. */
export interface ProcessorContext {
  readonly farm: FarmContext
  readonly options: WorkerOptions
  readonly log: (line: Omit<WorkerLog, 'at'>) => void
  readonly leases: JobLeases
  /** Aborted when the worker stops: held jobs are handed back. */
  readonly stopping: AbortSignal
}

/** The job's lock is gone: another worker has (or will have) the job; this one writes nothing more for it. */
export function lockLost(context: ProcessorContext, runId: string, what: string, shot?: string): never {
  context.log({
    state: 'lock-lost',
    run: runId,
    ...(shot ? { shot } : {}),
    message: `${what} of run ${runId}: lock lost (not renewed in time), stopped; another worker takes it over`,
  })
  throw new WaitingError()
}
