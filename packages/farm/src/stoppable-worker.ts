import { Worker } from 'bullmq'

/**
 * BullMQ's worker, except that a job handed back while it is stopping is not fetched again by
 * the same worker: after a job moves itself back to the queue (WaitingError), BullMQ 5 fetches
 * the next job even while paused or closing, and the worker would take its own job straight back.
 */
export class StoppableWorker<Data> extends Worker<Data> {
  protected override async moveToActive(
    ...args: Parameters<Worker<Data>['moveToActive']>
  ): ReturnType<Worker<Data>['moveToActive']> {
    if (this.closing || this.isPaused())
      return undefined as unknown as Awaited<ReturnType<Worker<Data>['moveToActive']>>
    return super.moveToActive(...args)
  }
}
