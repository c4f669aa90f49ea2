/**
 * Jobs keyed by what they make (a file), so background work and a caller that
 * needs the same file share one ffmpeg run. A failed job is forgotten, so asking
 * again retries it; progress goes to everyone waiting.
 */
export class JobMap<T> {
  readonly #jobs = new Map<
    string,
    { promise: Promise<T>; listeners: Set<(fraction: number) => void>; value?: T }
  >()

  /**
   * The job `key`: the running or finished one, else `start` (with a progress
   * reporter). `signal` stops only the waiting, not a job someone else started.
   */
  run(
    key: string,
    start: (report: (fraction: number) => void) => Promise<T>,
    options: { signal?: AbortSignal | undefined; onProgress?: ((fraction: number) => void) | undefined } = {},
  ): Promise<T> {
    let job = this.#jobs.get(key)
    if (!job) {
      const listeners = new Set<(fraction: number) => void>()
      const entry: { promise: Promise<T>; listeners: typeof listeners; value?: T } = {
        listeners,
        promise: start((fraction) => listeners.forEach((listen) => listen(fraction))).then(
          (value) => {
            entry.value = value
            return value
          },
          (error: unknown) => {
            this.#jobs.delete(key)
            throw error
          },
        ),
      }
      entry.promise.catch(() => undefined) // a background job's failure is reported to whoever asks for it next
      this.#jobs.set(key, entry)
      job = entry
    }
    const { onProgress, signal } = options
    if (signal?.aborted) return Promise.reject(signal.reason)
    if (onProgress) job.listeners.add(onProgress)
    const done = job.promise.finally(() => onProgress && job.listeners.delete(onProgress))
    return signal ? untilAborted(done, signal) : done
  }

  /** The value of job `key` if it has finished. */
  finished(key: string): T | undefined {
    return this.#jobs.get(key)?.value
  }

  /** Settles when every job started so far has. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#jobs.values()].map((j) => j.promise))
  }
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
