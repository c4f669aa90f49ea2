import type { AssemblyPhase } from '../assemble-outputs.ts'
import { FINAL_STATES, type RunState } from '../run-state.ts'

/**
 * What stitching is expected to take before it starts: a process or two to start, then about a
 * tenth of a second per second of video (the join and what the live reel has not made yet).
 * A guess to keep "left" honest; once stitching runs, its own progress takes over.
 */
const ASSEMBLY_BASE_MS = 1000
const ASSEMBLY_MS_PER_VIDEO_SECOND = 100

/** Where each phase ends, as a share of the whole stitching (rough weights from BENCHMARKS.md). */
const PHASE_END: Readonly<Record<AssemblyPhase, readonly [number, number]>> = {
  normalize: [0, 0.4],
  transitions: [0.4, 0.6],
  loudness: [0.6, 0.7],
  join: [0.7, 0.95],
  'contact-sheet': [0.95, 1],
}

/**
 * Milliseconds until the run ends, stitching included, or undefined before anything has finished.
 * Render work is measured in seconds of video: the observed speed (video seconds finished per wall
 * millisecond) applied to what is left. Cached shots are excluded since they took no time.
 */
export function estimateRemainingMs(run: RunState, now: number): number | undefined {
  let doneSeconds = 0
  let leftSeconds = 0
  let videoSeconds = 0
  for (const shot of run.shots) {
    videoSeconds += shot.duration
    if (shot.state === 'done') doneSeconds += shot.duration
    else if (!FINAL_STATES.has(shot.state)) leftSeconds += shot.duration
  }
  const assembly = ASSEMBLY_BASE_MS + ASSEMBLY_MS_PER_VIDEO_SECOND * videoSeconds
  if (run.assembly) return assemblyLeftMs(run.assembly, now, assembly)
  if (leftSeconds === 0) return assembly
  if (doneSeconds === 0) return undefined
  return ((now - run.startedAt) / doneSeconds) * leftSeconds + assembly
}

function assemblyLeftMs(assembly: NonNullable<RunState['assembly']>, now: number, guess: number): number {
  const [from, to] = PHASE_END[assembly.phase]
  const done = from + (to - from) * Math.min(1, Math.max(0, assembly.fraction))
  const elapsed = now - assembly.startedAt
  // Past a tenth, what stitching has taken so far says more than the guess.
  const total = done >= 0.1 ? elapsed / done : Math.max(guess, elapsed)
  return Math.max(0, total - elapsed)
}
