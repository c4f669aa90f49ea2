import type { RenderRequest, RenderResult } from '@storyreel/core'
import type { RenderDecision } from './decide-shot.ts'
import { downloadClip } from './download-clip.ts'
import { type ProviderErrorFacts, providerErrorFacts, type ShotFailureCode } from './errors.ts'
import { priceOf } from './estimate.ts'
import type { AttemptHistory } from './journal-replay.ts'
import { aboutTake, providerCallOptions, type RenderContext, type TakeUnit } from './render-context.ts'

/** Clock skew allowed between this machine and the provider when looking up an unrecorded prediction. */
const RECOVER_SKEW_MS = 2_000

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

type Failed = Extract<RenderOutcome, { status: 'failed' }>

interface Live {
  readonly attempt: number
  readonly id: string
  readonly output?: RenderResult
}

/**
 * Takes one take of a shot from "inputs ready" to a verified clip on disk: re-attaches to or
 * recovers a prediction an earlier run created, fetches a finished one's clip again, or submits
 * a new one, retrying failed predictions as new ones. Every step is journaled before it is taken.
 */
export async function renderShot(
  unit: TakeUnit,
  decision: RenderDecision,
  request: RenderRequest,
  ctx: RenderContext,
): Promise<RenderOutcome> {
  const { provider, journal, signal } = ctx
  const { shot, take } = unit
  const about = aboutTake(unit)
  const price = priceOf(shot, provider)
  let attempts = 0
  let live: Live | undefined
  let lastFailure: Failed | undefined
  /** When this run's own submission of the live prediction returned. */
  let submittedAt: number | undefined

  const callOptions = (attempt: number, id?: string, abortable = true) =>
    providerCallOptions(ctx, unit, attempt, id, abortable)

  const adopt = async (attempt: number, id: string, origin: 'recovered' | 'new'): Promise<Live> => {
    ctx.knownIds.add(id)
    await journal.append({
      type: 'submitted',
      at: ctx.now(),
      shot: shot.id,
      attempt,
      key: decision.key,
      id,
      model: shot.model.id,
      cost: price,
      ...(origin === 'recovered' ? { recovered: true } : {}),
    })
    if (origin === 'new') await ctx.budget.commit(shot.id, take, attempt, price)
    ctx.emit({
      type: 'submitted',
      ...about,
      attempt,
      predictionId: id,
      cost: origin === 'new' ? price : 0,
      origin,
    })
    return { attempt, id }
  }

  const lookUp = async (intentAt: number): Promise<string | undefined> => {
    const found = await provider.recover!(request, intentAt - RECOVER_SKEW_MS, signal ? { signal } : {})
    return found && !ctx.knownIds.has(found) ? found : undefined
  }

  const ambiguous = async (attempt: number): Promise<Failed> => {
    const message = `A submission for shot "${shot.id}" may have created a prediction, and provider "${provider.name}" cannot look predictions up. Check the provider's dashboard; to submit again anyway, re-run with force for this shot.`
    const code: ShotFailureCode = 'SCHED_AMBIGUOUS_SUBMISSION'
    await journal.append({
      type: 'failed',
      at: ctx.now(),
      shot: shot.id,
      attempt,
      message,
      code,
      retryable: false,
    })
    return { status: 'failed', message, code, attempt, attempts }
  }

  /** An intent an earlier run wrote without a prediction id: adopt what the provider finds, or (paid, no lookup) stop. */
  const recoverIntent = async (a: AttemptHistory): Promise<Failed | undefined> => {
    if (provider.recover) {
      const id = await lookUp(a.intentAt)
      if (id) {
        attempts = 1
        live = await adopt(a.attempt, id, 'recovered')
      }
      return undefined
    }
    return provider.paid ? ambiguous(a.attempt) : undefined
  }

  /** The outcome of a prediction this run could not see end; the journal still has it in flight. */
  const unresolved = (attempt: number, id: string, facts: ProviderErrorFacts): Failed => {
    ctx.emit({
      type: 'failed',
      ...about,
      attempt,
      predictionId: id,
      message: facts.message,
      ...(facts.code ? { code: facts.code } : {}),
      willRetry: false,
    })
    return {
      status: 'failed',
      message: facts.message,
      ...(facts.code ? { code: facts.code } : {}),
      predictionId: id,
      attempt,
      attempts,
    }
  }

  /** Journals a failed attempt; returns the final outcome, or undefined when a new prediction should be tried. */
  const recordFailure = async (
    attempt: number,
    id: string | undefined,
    facts: ProviderErrorFacts,
  ): Promise<Failed | undefined> => {
    const refunded = facts.refunded === true && id !== undefined
    const { message, code, retryable, predictionEnded } = facts
    await journal.append({
      type: 'failed',
      at: ctx.now(),
      shot: shot.id,
      attempt,
      ...(id ? { id } : {}),
      message,
      ...(code ? { code } : {}),
      ...(retryable === undefined ? {} : { retryable }),
      ...(predictionEnded ? { ended: true } : {}),
      ...(refunded ? { refunded: true } : {}),
    })
    if (refunded) await ctx.budget.refund(shot.id, take, attempt)
    const predictionId = id ?? facts.predictionId
    const willRetry = retryable !== false && attempts <= ctx.retries && !signal?.aborted
    ctx.emit({
      type: 'failed',
      ...about,
      attempt,
      ...(predictionId ? { predictionId } : {}),
      message,
      ...(code ? { code } : {}),
      ...(refunded ? { refunded } : {}),
      willRetry,
    })
    lastFailure = {
      status: 'failed',
      message,
      ...(code ? { code } : {}),
      ...(predictionId ? { predictionId } : {}),
      attempt,
      attempts,
    }
    if (!willRetry) return lastFailure
    ctx.emit({ type: 'retrying', ...about, attempt: attempt + 1, reason: message })
    return undefined
  }

  /** Submits a new prediction (budget permitting); `live` is set when one exists, else a final outcome or undefined to try again. */
  const submit = async (): Promise<Failed | undefined> => {
    const check = await ctx.budget.check(shot.id, take, price)
    if (!check.ok) {
      const stop = `not submitted: it would bring this run's spend to $${check.projected.toFixed(2)}, over maxCost $${ctx.maxCost?.toFixed(2)}`
      const code: ShotFailureCode = 'SCHED_BUDGET_STOP'
      return lastFailure
        ? { ...lastFailure, message: `${lastFailure.message} (retry ${stop})`, code, attempts }
        : { status: 'failed', message: `Shot "${shot.id}" ${stop}.`, code, attempts }
    }
    const attempt = ctx.nextAttempt(shot.id)
    const intentAt = ctx.now()
    const images = {
      ...(request.startImage ? { startImage: request.startImage } : {}),
      ...(request.endImage ? { endImage: request.endImage } : {}),
    }
    await journal.append({
      type: 'intent',
      at: intentAt,
      shot: shot.id,
      take,
      attempt,
      key: decision.key,
      request: { model: shot.model.id, params: shot.params, ...images },
    })
    attempts++
    try {
      // No abort signal: an interrupted POST could leave a paid prediction we never hear of.
      const { id } = await provider.submit(request, callOptions(attempt, undefined, false))
      live = await adopt(attempt, id, 'new')
      submittedAt = ctx.now()
      return undefined
    } catch (error) {
      const facts = providerErrorFacts(error)
      if (facts.ambiguous) {
        if (!provider.recover) return ambiguous(attempt)
        const id = await lookUp(intentAt)
        if (id) live = await adopt(attempt, id, 'recovered')
      }
      return live ? undefined : recordFailure(attempt, undefined, facts)
    }
  }

  if (decision.action === 'reattach') {
    const a = decision.attempt
    attempts = 1
    live = {
      attempt: a.attempt,
      id: a.id!,
      ...(a.output
        ? {
            output: {
              output: a.output,
              ...(a.inferenceMs === undefined ? {} : { inferenceMs: a.inferenceMs }),
            },
          }
        : {}),
    }
    ctx.emit({
      type: 'submitted',
      ...about,
      attempt: a.attempt,
      predictionId: a.id!,
      cost: 0,
      origin: 'reattached',
    })
  } else if (decision.action === 'redownload') {
    // Finished and paid for: only its clip is fetched again. An attempt from this run's journal keeps
    // its number; one known only from the cache gets a new number (nothing is submitted under it).
    attempts = 1
    live = {
      attempt: decision.attempt?.attempt ?? ctx.nextAttempt(shot.id),
      id: decision.predictionId,
      output: { output: decision.output },
    }
    ctx.emit({
      type: 'submitted',
      ...about,
      attempt: live.attempt,
      predictionId: live.id,
      cost: 0,
      origin: 'reattached',
    })
  } else if (decision.action === 'recover') {
    const failed = await recoverIntent(decision.attempt)
    if (failed) return failed
  }

  for (;;) {
    if (signal?.aborted) return { status: 'aborted', ...(live ? { predictionId: live.id } : {}), attempts }
    if (!live) {
      submittedAt = undefined
      const failed = await submit()
      if (failed) return failed
      if (!live) continue
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
      const failed = await recordFailure(attempt, id, facts)
      if (failed) return failed
      live = undefined
      continue
    }
    if (!live.output) {
      await journal.append({
        type: 'completed',
        at: ctx.now(),
        shot: shot.id,
        attempt,
        id,
        output: result.output,
        ...(result.inferenceMs === undefined ? {} : { inferenceMs: result.inferenceMs }),
      })
    }

    ctx.emit({ type: 'downloading', ...about, attempt, predictionId: id })
    const downloaded = await downloadClip(unit, decision.key, attempt, id, result, ctx)
    if (!downloaded.ok) {
      const { aborted, message, code } = downloaded
      return aborted
        ? { status: 'aborted', predictionId: id, attempts }
        : { status: 'failed', message, ...(code ? { code } : {}), predictionId: id, attempt, attempts }
    }
    return {
      status: 'rendered',
      clip: downloaded.clip,
      sha256: downloaded.sha256,
      predictionId: id,
      attempt,
      attempts,
      ...(submittedAt === undefined ? {} : { submittedAt }),
      ...(result.inferenceMs === undefined ? {} : { inferenceMs: result.inferenceMs }),
    }
  }
}
