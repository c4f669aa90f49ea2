import { type ProviderErrorFacts, type ShotFailureCode } from './errors.ts'
import type { FailedRender, TakeAttempt } from './take-attempt.ts'

/**
 * A submission that may have created a paid prediction the provider cannot look up: journaled as a
 * final failure, so no run submits again on its own.
 */
export async function ambiguousSubmission(t: TakeAttempt, attempt: number): Promise<FailedRender> {
  const { ctx, shot } = t
  const message = `A submission for shot "${shot.id}" may have created a prediction, and provider "${ctx.provider.name}" cannot look predictions up. Check the provider's dashboard; to submit again anyway, re-run with force for this shot.`
  const code: ShotFailureCode = 'SCHED_AMBIGUOUS_SUBMISSION'
  await ctx.journal.append({
    type: 'failed',
    at: ctx.now(),
    shot: shot.id,
    attempt,
    message,
    code,
    retryable: false,
  })
  return { status: 'failed', message, code, attempt, attempts: t.attempts }
}

/** The outcome of a prediction this run could not see end; the journal still has it in flight. */
export function unresolvedPrediction(
  t: TakeAttempt,
  attempt: number,
  id: string,
  facts: ProviderErrorFacts,
): FailedRender {
  t.ctx.emit({
    type: 'failed',
    ...t.about,
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
    attempts: t.attempts,
  }
}

/** Journals a failed attempt; returns the final outcome, or undefined when a new prediction should be tried. */
export async function recordFailure(
  t: TakeAttempt,
  attempt: number,
  id: string | undefined,
  facts: ProviderErrorFacts,
): Promise<FailedRender | undefined> {
  const { ctx, shot } = t
  const refunded = facts.refunded === true && id !== undefined
  const { message, code, retryable, predictionEnded } = facts
  await ctx.journal.append({
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
  if (refunded) await ctx.budget.refund(shot.id, t.take, attempt)
  const predictionId = id ?? facts.predictionId
  const willRetry = retryable !== false && t.attempts <= ctx.retries && !ctx.signal?.aborted
  ctx.emit({
    type: 'failed',
    ...t.about,
    attempt,
    ...(predictionId ? { predictionId } : {}),
    message,
    ...(code ? { code } : {}),
    ...(refunded ? { refunded } : {}),
    willRetry,
  })
  t.lastFailure = {
    status: 'failed',
    message,
    ...(code ? { code } : {}),
    ...(predictionId ? { predictionId } : {}),
    attempt,
    attempts: t.attempts,
  }
  if (!willRetry) return t.lastFailure
  ctx.emit({ type: 'retrying', ...t.about, attempt: attempt + 1, reason: message })
  return undefined
}
