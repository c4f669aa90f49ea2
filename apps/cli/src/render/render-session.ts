import type { Plan } from '@storyreel/core'
import type { RunEstimate, RunResult, SchedulerEvent, TakeOutcome } from '@storyreel/scheduler'
import type { CliIo } from '../cli-io.ts'
import { noticeWriter } from '../output/notice.ts'
import { applyEvent } from './apply-event.ts'
import type { AssemblyProgress } from './assemble-outputs.ts'
import { initialRunState } from './initial-run-state.ts'
import { chooseView } from './progress/choose-view.ts'
import type { ProgressView } from './progress/progress-view.ts'
import type { RunState, TakeRecord } from './run-state.ts'
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
  /** The renders ended: the outcomes become the records' final word. */
  rendered(result: RunResult | undefined): void
  /** Stitching moved on. */
  assembling(progress: AssemblyProgress): void
  /** The run ended: the view leaves its final picture. */
  close(): void
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
  // Before the progress view exists (Ctrl-C before the estimate was approved), as every other notice.
  const notice = noticeWriter(io, options.json)
  return {
    get run() {
      return run
    },
    start(estimate) {
      run = initialRunState(options.plan, {
        concurrency: options.concurrency,
        estimate: estimate.cost,
        paid: options.paid,
        now: Date.now(),
      })
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
      else notice(text)
    },
    rendered(result) {
      if (run && result) recordOutcomes(run, result)
    },
    assembling(progress) {
      if (!run) return
      const previous = run.assembly
      // Jobs running side by side report their fractions in turns; within a phase the bar only moves forward.
      const fraction =
        previous?.phase === progress.phase
          ? Math.max(previous.fraction, progress.fraction)
          : progress.fraction
      run.assembly = { startedAt: previous?.startedAt ?? Date.now(), phase: progress.phase, fraction }
      view?.assembling(run)
    },
    close() {
      if (run) view?.close(run)
      view = undefined
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
  for (const shot of run.shots) shot.takes = result.takes.filter((t) => t.shot === shot.id).map(takeRecord)
  run.spent = result.spent
}

function takeRecord(outcome: TakeOutcome): TakeRecord {
  const base = { take: outcome.take, picked: outcome.picked }
  switch (outcome.status) {
    case 'done':
    case 'cached':
      return {
        ...base,
        status: outcome.status,
        ...(outcome.predictionId ? { predictionId: outcome.predictionId } : {}),
        clip: outcome.clip,
        sha256: outcome.sha256,
        frames: outcome.frames,
        cost: outcome.status === 'done' ? outcome.cost : 0,
      }
    case 'failed':
      return {
        ...base,
        status: 'failed',
        ...(outcome.predictionId ? { predictionId: outcome.predictionId } : {}),
        cost: outcome.cost,
        error: outcome.message,
      }
    case 'skipped':
      return { ...base, status: 'skipped', cost: 0, error: outcome.reason }
    case 'aborted':
      return {
        ...base,
        status: 'interrupted',
        ...(outcome.predictionId ? { predictionId: outcome.predictionId } : {}),
        cost: 0,
      }
  }
}
