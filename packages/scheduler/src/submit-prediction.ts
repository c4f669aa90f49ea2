import { adoptPrediction, lookUpPrediction } from './adopt-prediction.ts'
import { ambiguousSubmission, recordFailure } from './attempt-failure.ts'
import { providerErrorFacts, type ShotFailureCode } from './errors.ts'
import { providerCallOptions } from './render-context.ts'
import type { FailedRender, TakeAttempt } from './take-attempt.ts'

/**
 * Submits a new prediction for the take, budget permitting, its intent journaled first. Sets
 * `t.live` when one exists (submitted, or found by a lookup after an ambiguous POST); otherwise
 * returns the final outcome, or undefined to try again.
 */
export async function submitPrediction(t: TakeAttempt): Promise<FailedRender | undefined> {
  const { ctx, shot, take, request, price } = t
  const check = await ctx.budget.check(shot.id, take, price)
  if (!check.ok) {
    const stop = `not submitted: it would bring this run's spend to $${check.projected.toFixed(2)}, over maxCost $${ctx.maxCost?.toFixed(2)}`
    const code: ShotFailureCode = 'SCHED_BUDGET_STOP'
    const last = t.lastFailure
    return last
      ? { ...last, message: `${last.message} (retry ${stop})`, code, attempts: t.attempts }
      : { status: 'failed', message: `Shot "${shot.id}" ${stop}.`, code, attempts: t.attempts }
  }
  const attempt = ctx.nextAttempt(shot.id)
  const intentAt = ctx.now()
  const images = {
    ...(request.startImage ? { startImage: request.startImage } : {}),
    ...(request.endImage ? { endImage: request.endImage } : {}),
  }
  await ctx.journal.append({
    type: 'intent',
    at: intentAt,
    shot: shot.id,
    take,
    attempt,
    key: t.decision.key,
    request: { model: shot.model.id, params: shot.params, ...images },
  })
  t.attempts++
  try {
    // No abort signal: an interrupted POST could leave a paid prediction we never hear of.
    const { id } = await ctx.provider.submit(
      request,
      providerCallOptions(ctx, t.unit, attempt, undefined, false),
    )
    t.live = await adoptPrediction(t, attempt, id, 'new')
    t.submittedAt = ctx.now()
    return undefined
  } catch (error) {
    const facts = providerErrorFacts(error)
    if (facts.ambiguous) {
      if (!ctx.provider.recover) return ambiguousSubmission(t, attempt)
      const id = await lookUpPrediction(t, intentAt)
      if (id) t.live = await adoptPrediction(t, attempt, id, 'recovered')
    }
    return t.live ? undefined : recordFailure(t, attempt, undefined, facts)
  }
}
