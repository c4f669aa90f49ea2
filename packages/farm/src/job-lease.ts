import type { Job } from 'bullmq'
import { farmError } from './errors.ts'

/**
 * A worker's hold on one job. BullMQ renews each active job's lock in the background; when a renewal
 * fails ('lockRenewalFailed': the worker stalled, or Redis was away, longer than the lock lasts), the
 * job has been, or is about to be, handed to another worker, which re-attaches to its prediction. The
 * lease turns that into an abort of the job's work, and `confirm` fences each step another worker
 * must not repeat (settling a shot, finishing a run): it re-checks, and extends, the lock in Redis.
 */
export interface JobLease {
  /** Aborted when the worker stops or the lock is lost: polling and ffmpeg stop; the prediction is not cancelled. */
  readonly signal: AbortSignal
  /** The lock was lost: nothing more may be written for the job, not even handing it back. */
  lost(): boolean
  /** Resolves while this worker still holds the job's lock; else aborts the lease and throws `FARM_LOCK_LOST`. */
  confirm(): Promise<void>
  close(): void
}

export interface JobLeases {
  open(queue: string, job: Pick<Job, 'id' | 'extendLock'>, token: string | undefined): JobLease
  /** BullMQ's 'lockRenewalFailed' for `queue`'s worker. */
  renewalFailed(queue: string, jobIds: readonly string[]): void
}

export function jobLeases(stopping: AbortSignal, lockMs: number): JobLeases {
  const held = new Map<string, AbortController>()
  const keyOf = (queue: string, jobId: string) => `${queue}\0${jobId}`
  const lostError = (queue: string, jobId: string) =>
    farmError(
      'FARM_LOCK_LOST',
      `lost the lock of ${queue} job ${jobId} (not renewed in time): another worker takes the job over`,
      { queue, jobId },
    )
  return {
    open(queue, job, token) {
      const jobId = String(job.id)
      const key = keyOf(queue, jobId)
      const lost = new AbortController()
      held.set(key, lost)
      const lose = () => {
        if (!lost.signal.aborted) lost.abort(lostError(queue, jobId))
        return lost.signal.reason as Error
      }
      return {
        signal: AbortSignal.any([stopping, lost.signal]),
        lost: () => lost.signal.aborted,
        async confirm() {
          if (lost.signal.aborted) throw lost.signal.reason
          if (token === undefined) return
          // extendLock is one Lua script: 1 only when the lock still holds this worker's token.
          if ((await job.extendLock(token, lockMs)) !== 1) throw lose()
        },
        close: () => {
          if (held.get(key) === lost) held.delete(key)
        },
      }
    },
    renewalFailed(queue, jobIds) {
      for (const jobId of jobIds) {
        const lost = held.get(keyOf(queue, jobId))
        if (lost && !lost.signal.aborted) lost.abort(lostError(queue, jobId))
      }
    },
  }
}
