import { remainingPathSeconds } from '@storyreel/core'
import type { Plan, PlannedShot } from '@storyreel/core'
import { createAdaptiveConcurrency } from './adaptive-concurrency.ts'
import { createBudget } from './budget.ts'
import { decideShot, renderRequestOf } from './decide-shot.ts'
import type { ShotDecision } from './decide-shot.ts'
import { SchedulerError } from './errors.ts'
import { decideContext, estimateWith } from './estimate.ts'
import type { SchedulerEvent, ShotTimings } from './events.ts'
import type { FinishedClip, RunOptions, RunResult, ShotOutcome } from './run-types.ts'
import type { RunEstimate } from './estimate.ts'
import { writeFirstFrame, writeLastFrame } from './frames.ts'
import { openJournal, readJournalRecords } from './journal.ts'
import { ledgerOf, replayJournal } from './journal-replay.ts'
import { linkOrCopy } from './link-or-copy.ts'
import { byPriority, dependentsOf } from './priority.ts'
import { renderShot } from './render-shot.ts'
import type { RenderContext, RenderOutcome } from './render-shot.ts'
import { lockRunDir } from './run-lock.ts'
import { runPaths } from './run-paths.ts'
import { createTaskPool } from './task-pool.ts'

/**
 * Renders every shot of `plan` into `<runDir>/shots/<id>.mp4`, concurrently along its chains.
 *
 * @returns per-shot outcomes and the spend ledger; failures are outcomes, not rejections.
 * @throws SchedulerError `SCHED_OVER_BUDGET` before submitting anything when the estimate exceeds `maxCost`;
 *   `SCHED_ABORTED` (with the partial `result` in `data`) when `signal` aborts.
 * @example
 * const result = await runPlan(plan, { provider, runDir: 'renders/demo', cacheDir, concurrency: 4 })
 * if (!result.ok) for (const f of result.failures) report(f.shot, f.predictionId, f.message)
 */
export async function runPlan(plan: Plan, options: RunOptions): Promise<RunResult> {
  validateOptions(options)
  dependentsOf(plan)
  const remaining = remainingPathSeconds(plan, options.estimateLatency)
  if (options.signal?.aborted) throw abortedError(options.signal, undefined)
  const release = await lockRunDir(options.runDir)
  try {
    const records = await readJournalRecords(options.runDir)
    const ctx = decideContext(plan, options, replayJournal(records))
    const estimate = await estimateWith(plan, ctx)
    if (options.maxCost !== undefined && estimate.cost > options.maxCost) {
      throw new SchedulerError(
        'SCHED_OVER_BUDGET',
        `This run would submit ${estimate.submissions} prediction(s) for an estimated $${estimate.cost.toFixed(2)}, over maxCost $${options.maxCost.toFixed(2)}. Raise maxCost, or render fewer shots with \`only\`.`,
        { data: { estimate: estimate.cost, maxCost: options.maxCost, submissions: estimate.submissions } },
      )
    }
    const journal = await openJournal(options.runDir)
    try {
      await journal.append({ type: 'run', at: (options.now ?? Date.now)(), pid: process.pid, plan: plan.hash, provider: options.provider.name })
      return await execute(plan, options, { remaining, estimate, ctx, journal, records })
    } finally {
      await journal.close()
    }
  } finally {
    await release()
  }
}

function validateOptions(options: RunOptions): void {
  const bad = (option: string, expected: string, got: unknown) =>
    new SchedulerError('SCHED_INVALID_OPTION', `\`${option}\` must be ${expected}; got ${String(got)}.`, { data: { option, value: got } })
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw bad('concurrency', 'an integer of at least 1', options.concurrency)
  const retries = options.retries ?? 1
  if (!Number.isInteger(retries) || retries < 0) throw bad('retries', 'an integer of at least 0', retries)
  if (options.maxCost !== undefined && !(options.maxCost >= 0)) throw bad('maxCost', 'a number of USD of at least 0', options.maxCost)
}

function abortedError(signal: AbortSignal, result: RunResult | undefined): SchedulerError {
  return new SchedulerError('SCHED_ABORTED', 'The run was stopped. Nothing more was submitted; run it again with the same run directory to re-attach to the predictions in flight.', {
    cause: signal.reason,
    data: result ? { result } : {},
  })
}

interface Prepared {
  readonly remaining: Map<string, number>
  readonly estimate: RunEstimate
  readonly ctx: ReturnType<typeof decideContext>
  readonly journal: Awaited<ReturnType<typeof openJournal>>
  readonly records: Awaited<ReturnType<typeof readJournalRecords>>
}

/** The dependency-driven loop: resolves shots as their inputs finish, dispatches by priority into the pool. */
async function execute(plan: Plan, options: RunOptions, prepared: Prepared): Promise<RunResult> {
  const { remaining, estimate, ctx, journal, records } = prepared
  const now = options.now ?? Date.now
  const { signal, runDir } = options
  const byId = new Map(plan.shots.map((s) => [s.id, s]))
  const dependents = dependentsOf(plan)
  const outcomes = new Map<string, ShotOutcome>()
  const clipSha = new Map<string, string>()
  const waitingOn = new Map(plan.shots.map((s) => [s.id, new Set(s.dependsOn)]))
  const queuedAt = new Map<string, number>()
  const ready: { shot: PlannedShot; decision: ShotDecision & { key: string } }[] = []
  const order = byPriority(remaining, (id) => byId.get(id)!.index)
  const budget = createBudget(
    options.maxCost,
    new Map(estimate.shots.filter((s) => s.action === 'submit' || s.action === 'recover').map((s) => [s.shot, s.cost])),
  )
  const maxAttempt = new Map<string, number>()
  for (const r of records) if (r.type === 'intent') maxAttempt.set(r.shot, Math.max(maxAttempt.get(r.shot) ?? 0, r.attempt))
  const knownIds = new Set(records.flatMap((r) => (r.type === 'submitted' ? [r.id] : [])))

  const emit = (event: Record<string, unknown> & { type: SchedulerEvent['type']; shot: string }) => {
    try {
      options.onEvent?.({ ...event, at: now(), spent: budget.spentOn(event.shot) } as SchedulerEvent)
    } catch {
      // A broken progress view must not stop a run that is spending money.
    }
  }

  const pool = createTaskPool(options.concurrency)
  let running = 0
  const adaptive = createAdaptiveConcurrency({
    max: options.concurrency,
    ...(options.rateLimitQuietMs === undefined ? {} : { quietMs: options.rateLimitQuietMs }),
    onChange: (limit) => {
      pool.concurrency = limit
      dispatch()
    },
  })

  const renderContext: RenderContext = {
    provider: options.provider,
    runDir,
    journal,
    cache: ctx.cache,
    budget,
    ...(options.maxCost === undefined ? {} : { maxCost: options.maxCost }),
    retries: options.retries ?? 1,
    ...(signal ? { signal } : {}),
    now,
    knownIds,
    nextAttempt: (shot) => {
      const next = (maxAttempt.get(shot) ?? 0) + 1
      maxAttempt.set(shot, next)
      return next
    },
    emit: (event) => emit(event as Parameters<typeof emit>[0]),
    onRateLimit: (ms) => adaptive.rateLimited(ms),
  }

  let finish!: () => void
  let crash!: (error: unknown) => void
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve
    crash = reject
  })

  const settle = (outcome: ShotOutcome) => {
    if (outcomes.has(outcome.shot)) return
    outcomes.set(outcome.shot, outcome)
    budget.release(outcome.shot)
    if (outcome.status === 'done' || outcome.status === 'cached') {
      clipSha.set(outcome.shot, outcome.sha256)
      for (const dep of dependents.get(outcome.shot) ?? []) {
        const waits = waitingOn.get(dep)!
        waits.delete(outcome.shot)
        if (waits.size === 0) void resolve(byId.get(dep)!)
      }
    } else {
      for (const dep of dependents.get(outcome.shot) ?? []) {
        if (outcome.status === 'aborted') settle({ shot: dep, status: 'aborted' })
        else skip(dep, `needs "${outcome.shot}", which ${outcome.status === 'failed' ? 'failed' : 'was skipped'}`)
      }
    }
    if (outcomes.size === plan.shots.length) finish()
  }

  const skip = (shot: string, reason: string) => {
    if (outcomes.has(shot)) return
    emit({ type: 'skipped', shot, reason })
    journal.append({ type: 'skipped', at: now(), shot, reason }).catch(crash)
    settle({ shot, status: 'skipped', reason })
  }

  const fail = (shot: string, error: unknown) => {
    const message = error instanceof Error ? error.message : String(error)
    const code = (error as { code?: unknown }).code
    emit({ type: 'failed', shot, attempt: 0, message, ...(typeof code === 'string' ? { code } : {}), willRetry: false })
    settle({ shot, status: 'failed', message, ...(typeof code === 'string' ? { code } : {}), attempts: 0, cost: budget.spentOn(shot) })
  }

  // Frame extractions nobody waits for (first frames, last frames of chain ends) run outside the
  // shots' slots, two at a time: enough to keep up, few enough to leave CPU for the last frames chains wait on.
  const background: Promise<void>[] = []
  const backgroundPool = createTaskPool(2)

  /**
   * Finished clip in place: extract the last frame now when a shot starts from it, the
   * rest in the background. A failed background extraction turns the shot's outcome into a failure.
   */
  const finishClip = async (shot: PlannedShot, clip: string, sha256: string, key: string): Promise<FinishedClip> => {
    const chained = (dependents.get(shot.id) ?? []).length > 0
    if (chained) await writeLastFrame(runDir, shot.id, clip, signal)
    background.push(
      backgroundPool.run(() => Promise.all([writeFirstFrame(runDir, shot.id, clip, signal), chained ? undefined : writeLastFrame(runDir, shot.id, clip, signal)])).then(
        () => undefined,
        (error: unknown) => {
          const message = `The clip is fine but its frames could not be extracted: ${error instanceof Error ? error.message : String(error)}`
          const prior = outcomes.get(shot.id)
          if (!signal?.aborted) outcomes.set(shot.id, { shot: shot.id, status: 'failed', message, attempts: 0, cost: budget.spentOn(shot.id), ...(prior && 'predictionId' in prior && prior.predictionId ? { predictionId: prior.predictionId } : {}) })
        },
      ),
    )
    return { clip, sha256, key, frames: { first: runPaths.firstFrame(runDir, shot.id), last: runPaths.lastFrame(runDir, shot.id) } }
  }

  // Shots whose decision (hashing, cache lookups) is in progress. Dispatch waits for them,
  // so a shot that resolves a few ms sooner cannot take the slot of a longer chain's head.
  let resolving = 0
  const resolve = async (shot: PlannedShot) => {
    resolving++
    try {
      await decideAndRoute(shot)
    } finally {
      resolving--
      dispatch()
    }
  }

  const decideAndRoute = async (shot: PlannedShot) => {
    try {
      if (signal?.aborted) return settle({ shot: shot.id, status: 'aborted' })
      const decision = await decideShot(shot, (id) => clipSha.get(id), ctx)
      switch (decision.action) {
        case 'skip':
          return skip(shot.id, decision.reason)
        case 'refuse': {
          const a = decision.attempt
          const message = `${a.failure?.message ?? 'failed'} (prediction ${a.id ?? 'unknown'}, in an earlier run with the same inputs; change the shot, or force it to try again)`
          emit({ type: 'failed', shot: shot.id, attempt: a.attempt, ...(a.id ? { predictionId: a.id } : {}), message, willRetry: false })
          return settle({ shot: shot.id, status: 'failed', message, ...(a.failure?.code ? { code: a.failure.code } : {}), ...(a.id ? { predictionId: a.id } : {}), attempts: 0, cost: 0 })
        }
        case 'reuse': {
          const clip = runPaths.clip(runDir, shot.id)
          if (decision.source === 'cache') {
            await linkOrCopy(decision.file, clip)
            await journal.append({ type: 'cached', at: now(), shot: shot.id, key: decision.key, file: runPaths.clipRelative(shot.id), sha256: decision.sha256 })
          }
          const finishedClip = await finishClip(shot, clip, decision.sha256, decision.key)
          emit({ type: 'cached', shot: shot.id, clip, sha256: decision.sha256, key: decision.key, source: decision.source })
          return settle({ shot: shot.id, status: 'cached', source: decision.source, ...finishedClip, ...(decision.predictionId ? { predictionId: decision.predictionId } : {}) })
        }
        default:
          ready.push({ shot, decision: decision as ShotDecision & { key: string } })
      }
    } catch (error) {
      if (signal?.aborted) settle({ shot: shot.id, status: 'aborted' })
      else fail(shot.id, error)
    }
  }

  const dispatch = () => {
    if (signal?.aborted) {
      for (const { shot } of ready.splice(0)) settle({ shot: shot.id, status: 'aborted' })
      return
    }
    if (resolving > 0) return
    ready.sort((a, b) => order(a.shot.id, b.shot.id))
    while (running < adaptive.limit && ready.length > 0) {
      const { shot, decision } = ready.shift()!
      running++
      const startedAt = now()
      let released = false
      const release = () => {
        if (released) return
        released = true
        running--
        dispatch()
      }
      const failed = (error: unknown) => {
        if (signal?.aborted) settle({ shot: shot.id, status: 'aborted' })
        else fail(shot.id, error)
      }
      pool
        .run(async () => {
          const outcome = await renderShot(shot, decision, renderRequestOf(shot, runDir), renderContext)
          // The prediction is finished, so the account's slot is free. Keep it for this shot's chain
          // (until its next shot is resolved) only when that shot would win it anyway; otherwise the
          // slot goes to a waiting shot of higher priority while the frames are extracted outside it.
          if (outcome.status === 'rendered' && !keepSlotForChain(shot.id)) return outcome
          await complete(shot, decision.key, outcome, startedAt)
          return undefined
        })
        .then(async (outcome) => {
          release()
          if (outcome) await complete(shot, decision.key, outcome, startedAt)
        })
        .catch(failed)
        .finally(release)
        .catch(crash)
    }
  }

  /** True when a shot chained after `shot` outranks every shot now waiting for a slot. */
  const keepSlotForChain = (shot: string) => {
    const next = Math.max(-Infinity, ...(dependents.get(shot) ?? []).map((id) => remaining.get(id) ?? 0))
    const waiting = Math.max(-Infinity, ...ready.map((r) => remaining.get(r.shot.id) ?? 0))
    return next > waiting
  }

  const complete = async (shot: PlannedShot, key: string, outcome: RenderOutcome, startedAt: number) => {
    if (outcome.status === 'aborted') return settle({ shot: shot.id, status: 'aborted', ...(outcome.predictionId ? { predictionId: outcome.predictionId } : {}) })
    if (outcome.status === 'failed') {
      return settle({
        shot: shot.id,
        status: 'failed',
        message: outcome.message,
        ...(outcome.code ? { code: outcome.code } : {}),
        ...(outcome.predictionId ? { predictionId: outcome.predictionId } : {}),
        attempts: outcome.attempts,
        cost: budget.spentOn(shot.id),
      })
    }
    try {
      const finishedClip = await finishClip(shot, outcome.clip, outcome.sha256, key)
      const timings: ShotTimings = {
        queuedAt: queuedAt.get(shot.id)!,
        startedAt,
        ...(outcome.submittedAt === undefined ? {} : { submittedAt: outcome.submittedAt }),
        finishedAt: now(),
        ...(outcome.inferenceMs === undefined ? {} : { inferenceMs: outcome.inferenceMs }),
      }
      emit({ type: 'done', shot: shot.id, attempt: outcome.attempt, predictionId: outcome.predictionId, clip: outcome.clip, sha256: outcome.sha256, key, timings })
      settle({ shot: shot.id, status: 'done', predictionId: outcome.predictionId, attempts: outcome.attempts, cost: budget.spentOn(shot.id), timings, ...finishedClip })
    } catch (error) {
      if (signal?.aborted) settle({ shot: shot.id, status: 'aborted', predictionId: outcome.predictionId })
      else fail(shot.id, error)
    }
  }

  const onAbort = () => dispatch()
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    for (const shot of plan.shots) {
      queuedAt.set(shot.id, now())
      emit({ type: 'queued', shot: shot.id })
    }
    for (const shot of plan.shots) {
      if (shot.dependsOn.length > 0) emit({ type: 'waiting', shot: shot.id, on: shot.dependsOn })
      else void resolve(shot)
    }
    if (plan.shots.length === 0) finish()
    await finished
    await Promise.all(background)
  } finally {
    signal?.removeEventListener('abort', onAbort)
    adaptive.stop()
  }

  const shots = plan.shots.map((s) => outcomes.get(s.id)!)
  const failures = shots.filter((o): o is Extract<ShotOutcome, { status: 'failed' }> => o.status === 'failed')
  const result: RunResult = {
    shots,
    failures,
    ok: shots.every((o) => o.status === 'done' || o.status === 'cached'),
    ledger: ledgerOf(await readJournalRecords(runDir)),
    spent: budget.spent,
    estimate,
  }
  if (signal?.aborted) throw abortedError(signal, result)
  return result
}
