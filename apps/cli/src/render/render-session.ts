import type { Plan } from '@storyreel/core'
import type { RunEstimate, RunResult, SchedulerEvent } from '@storyreel/scheduler'
import type { CliIo } from '../cli-io.ts'
import { applyEvent } from './apply-event.ts'
import { initialRunState } from './initial-run-state.ts'
import { chooseView } from './progress/choose-view.ts'
import type { ProgressView } from './progress/progress-view.ts'
import type { RunState } from './run-state.ts'
import type { Terminal } from './terminal.ts'

/**
 * What the CLI shows of a run: its records and the progress view, both started once the
 * spend is approved (so nothing is drawn over the question), then fed by the scheduler's events.
 */
export interface RenderSession {
  /** Undefined until the run was approved. */
  readonly run: RunState | undefined
  start(estimate: RunEstimate): void
  onEvent(event: SchedulerEvent): void
  /** A message: through the live view when there is one, so it does not tear the redrawn block. */
  note(text: string): void
  /** The run ended: the view leaves its final picture; the outcomes become the records' final word. */
  close(result: RunResult | undefined): void
}

export interface SessionOptions {
  readonly plan: Plan
  readonly io: CliIo
  readonly terminal: Terminal
  readonly json: boolean
  readonly concurrency: number
  readonly paid: boolean
}

export function createRenderSession(options: SessionOptions): RenderSession {
  const { io, terminal } = options
  let run: RunState | undefined
  let view: ProgressView | undefined
  return {
    get run() {
      return run
    },
    start(estimate) {
      run = initialRunState(options.plan, { concurrency: options.concurrency, estimate: estimate.cost, paid: options.paid, now: Date.now() })
      view = chooseView({
        stream: options.json ? io.stdout : io.stderr,
        isTTY: terminal.stderrIsTTY,
        env: io.env,
        json: options.json,
        ...(terminal.rows ? { rows: terminal.rows } : {}),
        ...(terminal.columns ? { columns: terminal.columns } : {}),
      })
    },
    onEvent(event) {
      if (!run) return
      const shot = applyEvent(run, event)
      if (shot) view?.shotChanged(run, shot)
    },
    note(text) {
      if (view) view.note(text)
      else io.stderr.write(`${text}\n`)
    },
    close(result) {
      if (!run) return
      view?.close(run)
      if (result) recordOutcomes(run, result)
    },
  }
}

/** The outcome is the final word: it carries the cache keys, clips and frames, and the states of shots the events did not finish. */
export function recordOutcomes(run: RunState, result: RunResult): void {
  for (const outcome of result.shots) {
    const shot = run.shots.find((s) => s.id === outcome.shot)
    if (!shot) continue
    if ('key' in outcome) shot.cacheKey = outcome.key
    if (outcome.status === 'done' || outcome.status === 'cached') {
      shot.state = outcome.status
      shot.clip = outcome.clip
      shot.sha256 = outcome.sha256
      shot.frames = outcome.frames
    } else if (outcome.status === 'failed') {
      shot.state = 'failed'
      shot.error = outcome.message
    } else if (outcome.status === 'skipped') {
      shot.state = 'skipped'
      shot.error = outcome.reason
    }
  }
  run.spent = result.spent
}
