import type { Plan } from '@storyreel/core'
import { remainingPathSeconds } from '@storyreel/core'
import { openClipCache } from './clip-cache.ts'
import { schedulerError, type SchedulerErrorOf } from './errors.ts'
import { decideContext, estimateWith, type RunEstimate } from './estimate.ts'
import { openFileRunStore } from './file-run-store.ts'
import { ledgerOf, replayJournal } from './journal-replay.ts'
import { dependentsOf } from './priority.ts'
import { runShots } from './run-loop.ts'
import type { FailedOutcome, RunOptions, RunResult, TakeOutcome } from './run-types.ts'

/**
 * Renders every take of every shot of `plan` into the run store (by default `<runDir>/takes/<id>/take-<n>.mp4`,
 * the picked take also in `<runDir>/shots/<id>.mp4`), concurrently along its chains.
 * Estimates once, checks `maxCost` once, then asks `approve` before anything is submitted.
 *
 * @returns per-shot outcomes and the spend ledger; failures are outcomes, not rejections.
 * @throws SchedulerError `SCHED_UNWRITABLE` when the run or the cache cannot be written; `SCHED_OVER_BUDGET` or
 *   `SCHED_NOT_APPROVED` before submitting anything; `SCHED_ABORTED` (with the partial `result`) when `signal` aborts.
 * @example
 * const result = await runPlan(plan, { provider, runDir: 'renders/demo', cacheDir, concurrency: 4, extractFrames })
 * if (!result.ok) for (const f of result.failures) report(f.shot, f.predictionId, f.message)
 */
export async function runPlan(plan: Plan, options: RunOptions): Promise<RunResult> {
  validateOptions(options)
  dependentsOf(plan)
  const remaining = remainingPathSeconds(plan, options.estimateLatency)
  if (options.signal?.aborted) throw abortedError(options.signal, undefined)
  const secrets = options.secrets ?? []
  const store = options.store ?? openFileRunStore(options.runDir!, { secrets })
  const cache = options.cache ?? openClipCache(options.cacheDir!, { secrets })
  // Both checked to the end, so a failure of one never leaves the other half-written behind it.
  for (const prepared of await Promise.allSettled([store.prepare(), cache.prepare()]))
    if (prepared.status === 'rejected') throw prepared.reason
  const lock = await store.lock()
  try {
    const journal = await store.openJournal()
    try {
      const { provider, signal } = options
      const setup = { provider, layout: store.layout, cache, force: options.force, only: options.only }
      const decide = decideContext(plan, setup, replayJournal(journal.records))
      const estimate = await estimateWith(plan, decide, provider)
      if (options.maxCost !== undefined && estimate.cost > options.maxCost)
        throw overBudget(estimate, options.maxCost)
      if (options.approve && !(await options.approve(estimate))) {
        throw schedulerError('SCHED_NOT_APPROVED', 'The run was not approved; nothing was submitted.', {
          estimate,
        })
      }
      if (signal?.aborted) throw abortedError(signal, undefined)
      await journal.append({
        type: 'run',
        at: (options.now ?? Date.now)(),
        pid: process.pid,
        plan: plan.hash,
        provider: provider.name,
      })
      const run = await runShots(plan, options, {
        layout: store.layout,
        journal,
        cache,
        decide,
        estimate,
        remaining,
      })
      const failures = run.takes.filter((o): o is FailedOutcome & TakeOutcome => o.status === 'failed')
      const result: RunResult = {
        shots: run.outcomes,
        takes: run.takes,
        failures,
        ok: failures.length === 0 && run.outcomes.every((o) => o.status === 'done' || o.status === 'cached'),
        ledger: ledgerOf(journal.records),
        spent: run.spent,
        estimate,
        images: new Map([...decide.images.hashes, ...run.lastFrames]),
      }
      if (signal?.aborted) throw abortedError(signal, result)
      return result
    } finally {
      await journal.close()
    }
  } finally {
    await lock.release()
  }
}

function validateOptions(options: RunOptions): void {
  const bad = (option: string, expected: string, value: unknown) =>
    schedulerError('SCHED_INVALID_OPTION', `\`${option}\` must be ${expected}; got ${String(value)}.`, {
      option,
      value,
    })
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
    throw bad('concurrency', 'an integer of at least 1', options.concurrency)
  const retries = options.retries ?? 1
  if (!Number.isInteger(retries) || retries < 0) throw bad('retries', 'an integer of at least 0', retries)
  if (options.maxCost !== undefined && !(options.maxCost >= 0))
    throw bad('maxCost', 'a number of USD of at least 0', options.maxCost)
  if ((options.runDir === undefined) === (options.store === undefined))
    throw bad('runDir', 'given, or `store` instead (not both)', options.runDir)
  if ((options.cacheDir === undefined) === (options.cache === undefined))
    throw bad('cacheDir', 'given, or `cache` instead (not both)', options.cacheDir)
  if (typeof options.extractFrames !== 'function')
    throw bad(
      'extractFrames',
      "a function that writes a clip's frames (the assembler's extractFrames)",
      options.extractFrames,
    )
}

function overBudget(estimate: RunEstimate, maxCost: number): SchedulerErrorOf<'SCHED_OVER_BUDGET'> {
  return schedulerError(
    'SCHED_OVER_BUDGET',
    `This run would submit ${estimate.submissions} prediction(s) for an estimated $${estimate.cost.toFixed(2)}, over maxCost $${maxCost.toFixed(2)}. Raise maxCost, or render fewer shots with \`only\`.`,
    { estimate, maxCost },
  )
}

function abortedError(signal: AbortSignal, result: RunResult | undefined): SchedulerErrorOf<'SCHED_ABORTED'> {
  return schedulerError(
    'SCHED_ABORTED',
    'The run was stopped. Nothing more was submitted; run it again with the same run directory to re-attach to the predictions in flight.',
    result ? { result } : {},
    signal.reason,
  )
}
