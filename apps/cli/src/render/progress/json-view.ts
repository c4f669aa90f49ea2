import type { CliIo } from '../../cli-io.ts'
import { pickedAttempts } from '../run-state.ts'
import type { ProgressView } from './progress-view.ts'

/**
 * Newline-delimited JSON, one object per event, for scripts. Every event has
 * `type` and `time` (ISO); shot events carry the shot's state, attempt,
 * prediction id and the run's spend so far.
 */
export function createJsonView(out: CliIo['stderr'], now: () => number = Date.now): ProgressView {
  const emit = (event: Record<string, unknown>) => out.write(`${JSON.stringify({ ...event, time: new Date(now()).toISOString() })}\n`)
  return {
    shotChanged(run, shot) {
      const own = pickedAttempts(shot)
      const attempt = own.at(-1)
      emit({
        type: 'shot',
        shot: shot.id,
        state: shot.state,
        attempt: own.length,
        predictionId: attempt?.predictionId,
        error: shot.error,
        spent: run.spent,
      })
    },
    note(text) {
      emit({ type: 'note', message: text })
    },
    close(run) {
      const count = (state: string) => run.shots.filter((s) => s.state === state).length
      emit({
        type: 'run-end',
        shots: run.shots.length,
        done: count('done'),
        cached: count('cached'),
        failed: count('failed'),
        skipped: count('skipped'),
        spent: run.spent,
      })
    },
  }
}
