import type { CliIo } from '../../cli-io.ts'
import { JSON_VERSION } from '../../output/json-version.ts'
import { pickedAttempts } from '../run-state.ts'
import { assemblyPercent, type ProgressView } from './progress-view.ts'

/**
 * Newline-delimited JSON, one object per event, for scripts. Every event has
 * `type`, `version` (of the JSON shape) and `time` (ISO); shot events carry the shot's state, attempt,
 * prediction id and the run's spend so far; `assemble` events the stitching's
 * phase and whole percent (one per change).
 */
export function createJsonView(out: CliIo['stderr'], now: () => number = Date.now): ProgressView {
  const emit = (event: Record<string, unknown>) =>
    out.write(`${JSON.stringify({ ...event, version: JSON_VERSION, time: new Date(now()).toISOString() })}\n`)
  let lastAssembly = ''
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
    assembling(run) {
      const percent = assemblyPercent(run)
      const key = `${run.assembly?.phase}|${percent}`
      if (!run.assembly || key === lastAssembly) return
      lastAssembly = key
      emit({ type: 'assemble', phase: run.assembly.phase, percent })
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
