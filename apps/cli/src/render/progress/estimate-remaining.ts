import { FINAL_STATES, type RunState } from '../run-state.ts'

/**
 * Milliseconds until the run ends, or undefined before anything has finished.
 * Work is measured in seconds of video: the observed speed (video seconds
 * finished per wall millisecond) applied to what is left. Cached shots are
 * excluded since they took no time.
 */
export function estimateRemainingMs(run: RunState, now: number): number | undefined {
  let doneSeconds = 0
  let leftSeconds = 0
  for (const shot of run.shots) {
    if (shot.state === 'done') doneSeconds += shot.duration
    else if (!FINAL_STATES.has(shot.state)) leftSeconds += shot.duration
  }
  if (leftSeconds === 0) return 0
  if (doneSeconds === 0) return undefined
  return ((now - run.startedAt) / doneSeconds) * leftSeconds
}
