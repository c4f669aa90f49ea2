import { rename } from 'node:fs/promises'
import type { Plan } from '@storyreel/core'
import { extractLastFrame, runFfmpeg } from '@storyreel/assembler'
import { runPlan as schedulerRunPlan } from '../../src/run-plan.ts'
import type { ClipHooks, RunOptions, RunResult } from '../../src/run-types.ts'

/**
 * The frame extractor the CLI passes, for tests and the benchmark.
 * TEMPORARY (issue 13): replace with the assembler's `extractFrames` once it exports one; until then
 * the last frame is the assembler's `extractLastFrame`, the first frame the CLI's former ffmpeg call.
 */
export const extractFrames: ClipHooks['extractFrames'] = async (clip, frames, options) => {
  const signal = options.signal ? { signal: options.signal } : {}
  await Promise.all([
    frames.last ? extractLastFrame(clip, frames.last, signal) : undefined,
    frames.first ? firstFrame(clip, frames.first, signal) : undefined,
  ])
}

async function firstFrame(clip: string, png: string, signal: { signal?: AbortSignal }): Promise<void> {
  const temp = `${png}.${process.pid}.tmp.png`
  await runFfmpeg(['-y', '-i', clip, '-map', '0:v:0', '-an', '-frames:v', '1', '-pix_fmt', 'rgb24', '-f', 'image2', '-c:v', 'png', temp], signal)
  await rename(temp, png)
}

/** `runPlan` with the test frame extractor, so each test passes only what it is about. */
export function runPlan(plan: Plan, options: Omit<RunOptions, 'extractFrames'> & Partial<ClipHooks>): Promise<RunResult> {
  return schedulerRunPlan(plan, { extractFrames, ...options })
}
