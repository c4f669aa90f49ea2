import { extractFrames } from '@storyreel/assembler'
import type { Plan } from '@storyreel/core'
import { runPlan as schedulerRunPlan } from '../../src/run-plan.ts'
import type { ClipHooks, RunOptions, RunResult } from '../../src/run-types.ts'

/** `runPlan` with the assembler's frame extractor, as the CLI passes it, so each test passes only what it is about. */
export function runPlan(
  plan: Plan,
  options: Omit<RunOptions, 'extractFrames'> & Partial<ClipHooks>,
): Promise<RunResult> {
  return schedulerRunPlan(plan, { extractFrames, ...options })
}
