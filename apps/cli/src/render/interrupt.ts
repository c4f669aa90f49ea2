/**
 * Ctrl-C handling for long commands. The first SIGINT (or SIGTERM) aborts the
 * signal, so no new prediction is submitted and the journal is left as it is:
 * everything already created is recorded and the next run re-attaches to it.
 * A second SIGINT quits at once.
 */
export interface Interrupt {
  readonly signal: AbortSignal
  readonly interrupted: () => boolean
  dispose(): void
}

export function trapInterrupts(notify: (text: string) => void, exitNow: (code: number) => void): Interrupt {
  const controller = new AbortController()
  let count = 0
  const onSignal = () => {
    count++
    if (count === 1) {
      notify('Stopping: no new shots will be submitted. Press Ctrl-C again to quit at once.')
      controller.abort(new Error('interrupted'))
    } else {
      notify(
        'Quitting now. Run the same command again to resume: predictions already paid for are re-attached, not paid twice.',
      )
      exitNow(130)
    }
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    signal: controller.signal,
    interrupted: () => count > 0,
    dispose() {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    },
  }
}

/** An `Interrupt` driven by someone else's signal (the review server's Stop and Ctrl-C): no process handler is installed. */
export function interruptFrom(signal: AbortSignal): Interrupt {
  return { signal, interrupted: () => signal.aborted, dispose() {} }
}
