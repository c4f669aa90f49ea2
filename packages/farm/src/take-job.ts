import {
  aboutTake,
  type ClipCache,
  type EmitInput,
  linkOrCopy,
  type RenderBudget,
  type RenderContext,
  renderRequestOf,
  renderShot,
  type RunJournal,
  type RunLayout,
  type ShotDecision,
  type ShotHistory,
  type ShotOutcome,
  type TakeOutcome,
  type TakeUnit,
} from '@storyreel/scheduler'
import { land } from './land-take.ts'
import type { RunView } from './run-view.ts'
import type { ShotJobSetup } from './shot-job.ts'

/** What every take of one shot job shares. */
export interface TakeJob {
  readonly run: RunView
  readonly setup: ShotJobSetup
  readonly journal: RunJournal
  readonly histories: ReadonlyMap<string, ShotHistory>
  readonly budget: RenderBudget & { spentOn(shot: string, take?: number): number }
  readonly emit: (event: EmitInput) => void
  readonly layout: RunLayout
  readonly cache: ClipCache
}

export type TakeEnd = TakeOutcome | { readonly handedBack: true; readonly predictionId?: string }

/** One take of the shot as the local pipeline takes it: skip, refuse, reuse or render, then land the clip. */
export async function takeJob(unit: TakeUnit, decision: ShotDecision, job: TakeJob): Promise<TakeEnd> {
  const { shot, take } = unit
  const { journal, layout, emit, budget } = job
  const about = aboutTake(unit)
  const of = (outcome: ShotOutcome): TakeOutcome => ({ ...outcome, take, picked: about.picked })
  if (decision.action === 'skip') {
    emit({ type: 'skipped', shot: shot.id, reason: decision.reason })
    await journal.append({ type: 'skipped', at: Date.now(), shot: shot.id, reason: decision.reason })
    return of({ shot: shot.id, status: 'skipped', reason: decision.reason })
  }
  if (decision.action === 'refuse') {
    const a = decision.attempt
    const message = `${a.failure?.message ?? 'failed'} (prediction ${a.id ?? 'unknown'}, earlier in this run with the same inputs)`
    emit({
      type: 'failed',
      ...about,
      attempt: a.attempt,
      ...(a.id ? { predictionId: a.id } : {}),
      message,
      willRetry: false,
    })
    return of({
      shot: shot.id,
      status: 'failed',
      message,
      ...(a.failure?.code ? { code: a.failure.code } : {}),
      ...(a.id ? { predictionId: a.id } : {}),
      attempts: 0,
      cost: 0,
    })
  }
  if (decision.action === 'reuse') {
    const own = layout.take(shot.id, take).clip
    if (decision.file !== own) {
      await linkOrCopy(decision.file, own)
      await journal.append({
        type: 'cached',
        at: Date.now(),
        shot: shot.id,
        take,
        key: decision.key,
        file: layout.relative(own),
        sha256: decision.sha256,
      })
    }
    const landed = await land(unit, own, decision.sha256, job)
    emit({
      type: 'cached',
      ...about,
      clip: landed.clip,
      sha256: decision.sha256,
      key: decision.key,
      source: decision.source,
    })
    return of({
      shot: shot.id,
      status: 'cached',
      source: decision.source,
      ...landed,
      sha256: decision.sha256,
      key: decision.key,
      ...(decision.predictionId ? { predictionId: decision.predictionId } : {}),
    })
  }
  if (decision.key === undefined)
    throw new Error(`Shot "${shot.id}" was decided before its upstream clips existed.`)
  const startedAt = Date.now()
  const outcome = await renderShot(
    unit,
    { ...decision, key: decision.key },
    renderRequestOf(shot, take, layout),
    renderContext(job),
  )
  if (outcome.status === 'aborted')
    return { handedBack: true, ...(outcome.predictionId ? { predictionId: outcome.predictionId } : {}) }
  if (outcome.status === 'failed') {
    const { message, attempts } = outcome
    return of({
      shot: shot.id,
      status: 'failed',
      message,
      ...(outcome.code ? { code: outcome.code } : {}),
      ...(outcome.predictionId ? { predictionId: outcome.predictionId } : {}),
      attempts,
      cost: budget.spentOn(shot.id, take),
    })
  }
  const landed = await land(unit, outcome.clip, outcome.sha256, job)
  const timings = {
    queuedAt: job.setup.queuedAt,
    startedAt,
    ...(outcome.submittedAt === undefined ? {} : { submittedAt: outcome.submittedAt }),
    finishedAt: Date.now(),
    ...(outcome.inferenceMs === undefined ? {} : { inferenceMs: outcome.inferenceMs }),
  }
  emit({
    type: 'done',
    ...about,
    attempt: outcome.attempt,
    predictionId: outcome.predictionId,
    clip: landed.clip,
    sha256: outcome.sha256,
    key: decision.key,
    timings,
  })
  return of({
    shot: shot.id,
    status: 'done',
    predictionId: outcome.predictionId,
    attempts: outcome.attempts,
    cost: budget.spentOn(shot.id, take),
    timings,
    ...landed,
    sha256: outcome.sha256,
    key: decision.key,
  })
}

function renderContext(job: TakeJob): RenderContext {
  const { setup } = job
  const all = [...job.histories.values()]
  const maxAttempt = new Map(all.map((h) => [h.shot, Math.max(0, ...h.attempts.map((a) => a.attempt))]))
  return {
    provider: setup.provider,
    layout: job.layout,
    journal: job.journal,
    cache: job.cache,
    budget: job.budget,
    ...(setup.hooks.verifyClip ? { verifyClip: setup.hooks.verifyClip } : {}),
    ...(job.run.meta.maxCost === undefined ? {} : { maxCost: job.run.meta.maxCost }),
    retries: job.run.meta.retries,
    signal: setup.signal,
    now: Date.now,
    knownIds: new Set(all.flatMap((h) => h.attempts.flatMap((a) => (a.id ? [a.id] : [])))),
    nextAttempt: (shot) => {
      const next = (maxAttempt.get(shot) ?? 0) + 1
      maxAttempt.set(shot, next)
      return next
    },
    emit: job.emit,
    onRateLimit: (ms) => void setup.farm.keyLimit.rateLimited(ms),
  }
}
