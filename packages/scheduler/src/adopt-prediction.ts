import type { LivePrediction, TakeAttempt } from './take-attempt.ts'

/** Clock skew allowed between this machine and the provider when looking up an unrecorded prediction. */
const RECOVER_SKEW_MS = 2_000

/**
 * Makes a prediction the take's live one: journaled as submitted (marked `recovered` when a lookup
 * found it), its price committed to the budget when this run created it, and reported.
 */
export async function adoptPrediction(
  t: TakeAttempt,
  attempt: number,
  id: string,
  origin: 'recovered' | 'new',
): Promise<LivePrediction> {
  const { ctx, shot, price } = t
  ctx.knownIds.add(id)
  await ctx.journal.append({
    type: 'submitted',
    at: ctx.now(),
    shot: shot.id,
    attempt,
    key: t.decision.key,
    id,
    model: shot.model.id,
    cost: price,
    ...(origin === 'recovered' ? { recovered: true } : {}),
  })
  if (origin === 'new') await ctx.budget.commit(shot.id, t.take, attempt, price)
  ctx.emit({
    type: 'submitted',
    ...t.about,
    attempt,
    predictionId: id,
    cost: origin === 'new' ? price : 0,
    origin,
  })
  return { attempt, id }
}

/**
 * Asks the provider (which must have `recover`) for a prediction of this request created since
 * `intentAt`; one the journal already knows is never returned, so nothing is adopted twice.
 */
export async function lookUpPrediction(t: TakeAttempt, intentAt: number): Promise<string | undefined> {
  const { provider, signal, knownIds } = t.ctx
  const found = await provider.recover!(t.request, intentAt - RECOVER_SKEW_MS, signal ? { signal } : {})
  return found && !knownIds.has(found) ? found : undefined
}
