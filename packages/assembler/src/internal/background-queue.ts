/**
 * Tasks run in order, `limit` at a time, while not paused or stopped. A failed
 * task is dropped: what it would have made is asked for again when needed.
 */
export class BackgroundQueue {
  readonly #tasks: (() => Promise<unknown>)[] = []
  readonly #limit: number
  readonly #signal: AbortSignal
  #running = 0
  #paused = false
  #idlers: (() => void)[] = []

  constructor(limit: number, signal: AbortSignal) {
    this.#limit = limit
    this.#signal = signal
  }

  push(task: () => Promise<unknown>): void {
    this.#tasks.push(task)
    setImmediate(() => this.#pump())
  }

  /** Drops what has not started and starts nothing until `resume`. */
  pause(): void {
    this.#paused = true
    this.#tasks.length = 0
  }

  resume(): void {
    this.#paused = false
    this.#pump()
  }

  /** Resolves when nothing is running and nothing is waiting (or it is paused or stopped). */
  idle(): Promise<void> {
    return new Promise((wake) => {
      this.#idlers.push(wake)
      this.#pump()
    })
  }

  #pump(): void {
    const stopped = this.#paused || this.#signal.aborted
    while (!stopped && this.#running < this.#limit && this.#tasks.length > 0) {
      const task = this.#tasks.shift()!
      this.#running++
      void task()
        .catch(() => undefined)
        .finally(() => {
          this.#running--
          this.#pump()
        })
    }
    if (this.#running === 0 && (this.#tasks.length === 0 || stopped)) {
      this.#idlers.forEach((wake) => wake())
      this.#idlers = []
    }
  }
}
