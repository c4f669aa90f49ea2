import type { RenderRequest, RenderResult } from '@storyreel/core'
import { recordFailure, unresolvedPrediction } from './attempt-failure.ts'
import type { RenderDecision } from './decide-shot.ts'
import { downloadClip, fetchClip, keepClip, type NotDownloaded } from './download-clip.ts'
import { providerErrorFacts } from './errors.ts'
import { sha256File } from './hash.ts'
import { providerCallOptions, type RenderContext, type TakeUnit } from './render-context.ts'
import { resumeTake } from './resume-take.ts'
import { submitPrediction } from './submit-prediction.ts'
import { type RenderOutcome, startAttempt } from './take-attempt.ts'

export type { RenderOutcome } from './take-attempt.ts'

export interface RenderShotOptions {
  /**
   * Return as soon as the clip is fetched and hashed, leaving its check (`verifyClip`), journaling and
   * caching to the outcome's `keep`: for a clip a chained shot waits on, whose last frame can be proven
   * (and handed on) well before the whole clip is decoded.
   */
  readonly deferCheck?: boolean
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
  options: RenderShotOptions = {},
): Promise<RenderOutcome> {
  const { journal, signal } = ctx
  const t = startAttempt(unit, decision, request, ctx)
  const resumeFailed = await resumeTake(t)
  if (resumeFailed) return resumeFailed

  for (;;) {
    if (signal?.aborted)
      return { status: 'aborted', ...(t.live ? { predictionId: t.live.id } : {}), attempts: t.attempts }
    if (!t.live) {
      t.submittedAt = undefined
      const failed = await submitPrediction(t)
      if (failed) return failed
      if (!t.live) continue
    }

    const live = t.live
    const { attempt, id } = live
    let result: RenderResult
    try {
      result = live.output ?? (await ctx.provider.wait(id, providerCallOptions(ctx, unit, attempt, id, true)))
    } catch (error) {
      if (signal?.aborted) return { status: 'aborted', predictionId: id, attempts: t.attempts }
      const facts = providerErrorFacts(error)
      // Only a prediction that ended may be replaced. One whose status could not be read may still
      // finish, and it is paid for: it stays in the journal as in flight, so the next run re-attaches.
      if (ctx.provider.paid && !facts.predictionEnded) return unresolvedPrediction(t, attempt, id, facts)
      const failed = await recordFailure(t, attempt, id, facts)
      if (failed) return failed
      t.live = undefined
      continue
    }
    if (!live.output) {
      await journal.append({
        type: 'completed',
        at: ctx.now(),
        shot: unit.shot.id,
        attempt,
        id,
        output: result.output,
        ...(result.inferenceMs === undefined ? {} : { inferenceMs: result.inferenceMs }),
      })
    }

    ctx.emit({ type: 'downloading', ...t.about, attempt, predictionId: id })
    const origin = { unit, key: decision.key, attempt, id, result }
    const { attempts } = t
    const rendered = {
      status: 'rendered',
      predictionId: id,
      attempt,
      attempts,
      ...(t.submittedAt === undefined ? {} : { submittedAt: t.submittedAt }),
      ...(result.inferenceMs === undefined ? {} : { inferenceMs: result.inferenceMs }),
    } as const
    const notRendered = ({ aborted, message, code }: NotDownloaded): RenderOutcome =>
      aborted
        ? { status: 'aborted', predictionId: id, attempts }
        : { status: 'failed', message, ...(code ? { code } : {}), predictionId: id, attempt, attempts }
    if (options.deferCheck) {
      const fetched = await fetchClip(origin, ctx)
      if (!fetched.ok) return notRendered(fetched)
      const { clip } = fetched
      return { ...rendered, clip, sha256: await sha256File(clip), keep: () => keepClip(origin, ctx) }
    }
    const downloaded = await downloadClip(origin, ctx)
    if (!downloaded.ok) return notRendered(downloaded)
    return { ...rendered, clip: downloaded.clip, sha256: downloaded.sha256 }
  }
}
