import { adoptPrediction, lookUpPrediction } from './adopt-prediction.ts'
import { ambiguousSubmission } from './attempt-failure.ts'
import type { FailedRender, TakeAttempt } from './take-attempt.ts'

/**
 * Picks up what an earlier run left of the take, before anything new is submitted: re-attaches to
 * a prediction in flight, takes a finished one's output to fetch its clip again, or recovers an
 * intent written without a prediction id. Sets `t.live` when there is one to follow; returns a
 * final outcome when the take must stop (a paid, ambiguous submission nobody can look up).
 */
export async function resumeTake(t: TakeAttempt): Promise<FailedRender | undefined> {
  const { decision, ctx } = t
  if (decision.action === 'reattach') {
    const a = decision.attempt
    t.attempts = 1
    t.live = {
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
    reattached(t)
  } else if (decision.action === 'redownload') {
    // Finished and paid for: only its clip is fetched again. An attempt from this run's journal keeps
    // its number; one known only from the cache gets a new number (nothing is submitted under it).
    t.attempts = 1
    t.live = {
      attempt: decision.attempt?.attempt ?? ctx.nextAttempt(t.shot.id),
      id: decision.predictionId,
      output: { output: decision.output },
    }
    reattached(t)
  } else if (decision.action === 'recover') {
    // An intent an earlier run wrote without a prediction id: adopt what the provider finds, or (paid, no lookup) stop.
    const a = decision.attempt
    if (ctx.provider.recover) {
      const id = await lookUpPrediction(t, a.intentAt)
      if (id) {
        t.attempts = 1
        t.live = await adoptPrediction(t, a.attempt, id, 'recovered')
      }
      return undefined
    }
    return ctx.provider.paid ? ambiguousSubmission(t, a.attempt) : undefined
  }
  return undefined
}

function reattached(t: TakeAttempt): void {
  t.ctx.emit({
    type: 'submitted',
    ...t.about,
    attempt: t.live!.attempt,
    predictionId: t.live!.id,
    cost: 0,
    origin: 'reattached',
  })
}
