import pLimit from 'p-limit'

/**
 * Runs tasks with at most `concurrency` at once. A thin wrapper so p-limit can be
 * swapped without touching the scheduler.
 *
 * Do not call `run` from inside a task of the same pool: with every slot taken by
 * outer tasks, the inner one never starts (p-limit's nested-limiter deadlock).
 */
export interface TaskPool {
  /** Tasks running now. May briefly exceed `concurrency` right after it is lowered. */
  readonly active: number
  /** Tasks handed to `run` that have not started yet. */
  readonly pending: number
  /** Can be changed at any time; lowering it lets running tasks finish. */
  concurrency: number
  run<T>(task: () => Promise<T>): Promise<T>
}

export function createTaskPool(concurrency: number): TaskPool {
  const limit = pLimit(concurrency)
  return {
    get active() {
      return limit.activeCount
    },
    get pending() {
      return limit.pendingCount
    },
    get concurrency() {
      return limit.concurrency
    },
    set concurrency(value: number) {
      limit.concurrency = value
    },
    run: (task) => limit(task),
  }
}
