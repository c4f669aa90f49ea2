import { escapeControl } from '../../output/escape.ts'
import { pickedAttempts, type RunState, type ShotRecord } from '../run-state.ts'

/** Something that shows a run's progress: a live terminal view, plain lines, or NDJSON events. */
export interface ProgressView {
  /** A shot changed state, attempt or prediction. */
  shotChanged(run: RunState, shot: ShotRecord): void
  /** Stitching moved on (`run.assembly`: phase and fraction). */
  assembling(run: RunState): void
  /** A message outside the shot list: a notice, a slowdown, a retry. */
  note(text: string): void
  /** The run ended: stop redrawing and leave the final picture on screen. */
  close(run: RunState): void
}

export function stateDetail(shot: ShotRecord): string {
  const own = pickedAttempts(shot)
  const attempt = own.length
  const prediction = own.at(-1)?.predictionId
  const parts: string[] = []
  if (shot.takeCount > 1) parts.push(`take ${shot.pick} of ${shot.takeCount}`)
  if (attempt > 1) parts.push(`attempt ${attempt}`)
  if (prediction && !['done', 'cached'].includes(shot.state)) parts.push(prediction)
  if (shot.error && (shot.state === 'failed' || shot.state === 'skipped')) parts.push(shot.error)
  return escapeControl(parts.join(', '))
}

/** `run.assembly` as a whole percentage, or undefined before stitching. */
export function assemblyPercent(run: RunState): number | undefined {
  return run.assembly && Math.floor(Math.min(1, Math.max(0, run.assembly.fraction)) * 100)
}
