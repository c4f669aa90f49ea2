import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { PlannedShot, Provider, ProviderCallOptions, RenderRequest, RenderResult } from '@storyreel/core'
import type { Budget } from './budget.ts'
import type { ClipCache } from './clip-cache.ts'
import type { ShotDecision } from './decide-shot.ts'
import { providerErrorFacts } from './errors.ts'
import type { SchedulerErrorCode } from './errors.ts'
import type { SchedulerEvent } from './events.ts'
import { sha256File } from './hash.ts'
import type { JournalWriter } from './journal.ts'
import type { AttemptHistory } from './journal-replay.ts'
import { runPaths } from './run-paths.ts'

/** Clock skew allowed between this machine and the provider when looking up an unrecorded prediction. */
const RECOVER_SKEW_MS = 2_000

type EmitInput = SchedulerEvent extends infer E ? (E extends SchedulerEvent ? Omit<E, 'at' | 'spent'> : never) : never

export interface RenderContext {
  readonly provider: Provider
  readonly runDir: string
  readonly journal: JournalWriter
  readonly cache: ClipCache
  readonly budget: Budget
  readonly maxCost?: number
  readonly retries: number
  readonly signal?: AbortSignal
  readonly now: () => number
  /** Prediction ids the journal already knows, so a lookup never adopts one twice. */
  readonly knownIds: Set<string>
  nextAttempt(shot: string): number
  emit(event: EmitInput): void
  onRateLimit(retryAfterMs: number): void
}

export type RenderOutcome =
  | {
      readonly status: 'rendered'
      readonly clip: string
      readonly sha256: string
      readonly predictionId: string
      readonly attempt: number
      readonly attempts: number
      readonly submittedAt?: number
      readonly inferenceMs?: number
    }
  | {
      readonly status: 'failed'
      readonly message: string
      readonly code?: string
      readonly predictionId?: string
      readonly attempt?: number
      readonly attempts: number
    }
  | { readonly status: 'aborted'; readonly predictionId?: string; readonly attempts: number }

interface Live {
  readonly attempt: number
  readonly id: string
  readonly output?: RenderResult
}

/**
 * Takes one shot from "inputs ready" to a verified clip on disk: re-attaches to or
 * recovers a prediction an earlier run created, or submits a new one, retrying
 * failed predictions as new ones. Every step is journaled before it is taken.
 */
export async function renderShot(shot: PlannedShot, decision: ShotDecision & { key: string }, request: RenderRequest, ctx: RenderContext): Promise<RenderOutcome> {
  const { provider, journal, signal } = ctx
  // What one attempt costs: the catalog price, or nothing for a free provider such as the animatic.
  const price = provider.paid ? shot.cost : 0
  let attempts = 0
  let live: Live | undefined
  let lastFailure: Extract<RenderOutcome, { status: 'failed' }> | undefined

  const callOptions = (attempt: number, id?: string): ProviderCallOptions => {
    let processing = false
    return {
      ...(signal ? { signal } : {}),
      onRateLimit: ctx.onRateLimit,
      onPhase: (phase) => {
        if (phase === 'uploading') ctx.emit({ type: 'uploading', shot: shot.id, attempt })
        if (phase === 'processing' && id && !processing) {
          processing = true
          ctx.emit({ type: 'processing', shot: shot.id, attempt, predictionId: id })
        }
      },
    }
  }

  const adopt = async (attempt: number, id: string, origin: 'recovered' | 'new') => {
    ctx.knownIds.add(id)
    await journal.append({ type: 'submitted', at: ctx.now(), shot: shot.id, attempt, key: decision.key, id, model: shot.model.id, cost: price, ...(origin === 'recovered' ? { recovered: true } : {}) })
    if (origin === 'new') ctx.budget.commit(shot.id, price)
    ctx.emit({ type: 'submitted', shot: shot.id, attempt, predictionId: id, cost: origin === 'new' ? price : 0, origin })
    return { attempt, id }
  }

  const lookUp = async (intentAt: number): Promise<string | undefined> => {
    const found = await provider.recover!(request, intentAt - RECOVER_SKEW_MS, signal ? { signal } : {})
    return found && !ctx.knownIds.has(found) ? found : undefined
  }

  async function recoverIntent(a: AttemptHistory): Promise<RenderOutcome | undefined> {
    if (provider.recover) {
      const id = await lookUp(a.intentAt)
      if (id) {
        attempts = 1
        live = await adopt(a.attempt, id, 'recovered')
      }
      return undefined
    }
    if (!provider.paid) return undefined
    return ambiguous(a.attempt)
  }

  const ambiguous = async (attempt: number): Promise<RenderOutcome> => {
    const message = `A submission for shot "${shot.id}" may have created a prediction, and provider "${provider.name}" cannot look predictions up. Check the provider's dashboard; to submit again anyway, re-run with force for this shot.`
    const code: SchedulerErrorCode = 'SCHED_AMBIGUOUS_SUBMISSION'
    await journal.append({ type: 'failed', at: ctx.now(), shot: shot.id, attempt, message, code, retryable: false })
    return { status: 'failed', message, code, attempt, attempts }
  }

  if (decision.action === 'reattach') {
    const a = decision.attempt
    attempts = 1
    live = { attempt: a.attempt, id: a.id!, ...(a.output ? { output: { output: a.output, ...(a.inferenceMs === undefined ? {} : { inferenceMs: a.inferenceMs }) } } : {}) }
    ctx.emit({ type: 'submitted', shot: shot.id, attempt: a.attempt, predictionId: a.id!, cost: 0, origin: 'reattached' })
  } else if (decision.action === 'recover') {
    const outcome = await recoverIntent(decision.attempt)
    if (outcome) return outcome
  }

  for (;;) {
    if (signal?.aborted) return { status: 'aborted', ...(live ? { predictionId: live.id } : {}), attempts }
    let submittedAt: number | undefined
    if (!live) {
      const check = ctx.budget.check(shot.id, price)
      if (!check.ok) {
        const stop = `not submitted: it would bring this run's spend to $${check.projected.toFixed(2)}, over maxCost $${ctx.maxCost?.toFixed(2)}`
        return lastFailure
          ? { ...lastFailure, message: `${lastFailure.message} (retry ${stop})`, code: 'SCHED_BUDGET_STOP', attempts }
          : { status: 'failed', message: `Shot "${shot.id}" ${stop}.`, code: 'SCHED_BUDGET_STOP', attempts }
      }
      const attempt = ctx.nextAttempt(shot.id)
      const intentAt = ctx.now()
      await journal.append({ type: 'intent', at: intentAt, shot: shot.id, attempt, key: decision.key, request: { model: shot.model.id, params: shot.params, ...pick(request) } })
      attempts++
      try {
        // No abort signal: an interrupted POST could leave a paid prediction we never hear of.
        const { id } = await provider.submit(request, callOptions(attempt))
        live = await adopt(attempt, id, 'new')
        submittedAt = ctx.now()
      } catch (error) {
        const facts = providerErrorFacts(error)
        if (facts.ambiguous) {
          if (!provider.recover) return ambiguous(attempt)
          const id = await lookUp(intentAt)
          if (id) live = await adopt(attempt, id, 'recovered')
        }
        if (!live) {
          const failure = await recordFailure(attempt, undefined, facts)
          if (failure) return failure
          continue
        }
      }
    }

    const { attempt, id } = live
    let result: RenderResult
    try {
      result = live.output ?? (await provider.wait(id, callOptions(attempt, id)))
    } catch (error) {
      if (signal?.aborted) return { status: 'aborted', predictionId: id, attempts }
      const facts = providerErrorFacts(error)
      // Only a prediction that ended may be replaced. One whose status could not be read may still
      // finish, and it is paid for: it stays in the journal as in flight, so the next run re-attaches.
      if (provider.paid && !facts.predictionEnded) return unresolved(attempt, id, facts)
      const failure = await recordFailure(attempt, id, facts)
      if (failure) return failure
      live = undefined
      continue
    }
    if (!live.output) {
      await journal.append({ type: 'completed', at: ctx.now(), shot: shot.id, attempt, id, output: result.output, ...(result.inferenceMs === undefined ? {} : { inferenceMs: result.inferenceMs }) })
    }

    ctx.emit({ type: 'downloading', shot: shot.id, attempt, predictionId: id })
    const clip = runPaths.clip(ctx.runDir, shot.id)
    try {
      await mkdir(dirname(clip), { recursive: true })
      await provider.download(result, clip, signal ? { signal } : {})
    } catch (error) {
      if (signal?.aborted) return { status: 'aborted', predictionId: id, attempts }
      // The prediction is paid and finished; the journal still says "completed", so a re-run downloads it again for free.
      const message = providerErrorFacts(error).message.replace(/\.$/, '')
      return { status: 'failed', message: `Prediction ${id} finished but its clip could not be downloaded: ${message}. Re-run to download it again (nothing is paid twice).`, predictionId: id, attempt, attempts }
    }
    const sha256 = await sha256File(clip)
    await journal.append({ type: 'downloaded', at: ctx.now(), shot: shot.id, attempt, id, key: decision.key, file: runPaths.clipRelative(shot.id), sha256 })
    await ctx.cache.store(decision.key, clip, { sha256, predictionId: id })
    return {
      status: 'rendered',
      clip,
      sha256,
      predictionId: id,
      attempt,
      attempts,
      ...(submittedAt === undefined ? {} : { submittedAt }),
      ...(result.inferenceMs === undefined ? {} : { inferenceMs: result.inferenceMs }),
    }
  }

  /** The outcome of a prediction this run could not see end; the journal still has it in flight. */
  function unresolved(attempt: number, id: string, facts: ReturnType<typeof providerErrorFacts>): RenderOutcome {
    ctx.emit({ type: 'failed', shot: shot.id, attempt, predictionId: id, message: facts.message, ...(facts.code ? { code: facts.code } : {}), willRetry: false })
    return { status: 'failed', message: facts.message, ...(facts.code ? { code: facts.code } : {}), predictionId: id, attempt, attempts }
  }

  /** Journals a failed attempt; returns the final outcome, or undefined when a new prediction should be tried. */
  async function recordFailure(attempt: number, id: string | undefined, facts: ReturnType<typeof providerErrorFacts>): Promise<RenderOutcome | undefined> {
    await journal.append({
      type: 'failed',
      at: ctx.now(),
      shot: shot.id,
      attempt,
      ...(id ? { id } : {}),
      message: facts.message,
      ...(facts.code ? { code: facts.code } : {}),
      ...(facts.retryable === undefined ? {} : { retryable: facts.retryable }),
      ...(facts.predictionEnded ? { ended: true } : {}),
    })
    const predictionId = id ?? facts.predictionId
    const willRetry = facts.retryable !== false && attempts <= ctx.retries && !signal?.aborted
    ctx.emit({ type: 'failed', shot: shot.id, attempt, ...(predictionId ? { predictionId } : {}), message: facts.message, ...(facts.code ? { code: facts.code } : {}), willRetry })
    lastFailure = { status: 'failed', message: facts.message, ...(facts.code ? { code: facts.code } : {}), ...(predictionId ? { predictionId } : {}), attempt, attempts }
    if (!willRetry) return lastFailure
    ctx.emit({ type: 'retrying', shot: shot.id, attempt: attempt + 1, reason: facts.message })
    return undefined
  }
}

function pick(request: RenderRequest): Pick<RenderRequest, 'startImage' | 'endImage'> {
  return { ...(request.startImage ? { startImage: request.startImage } : {}), ...(request.endImage ? { endImage: request.endImage } : {}) }
}
