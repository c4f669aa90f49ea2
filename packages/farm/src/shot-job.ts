import type { PlannedShot, Provider } from '@storyreel/core'
import {
  decideContext, decideShot, linkOrCopy, renderRequestOf, renderShot, replayJournal, sha256File,
  type ClipHooks, type EmitInput, type SchedulerEvent, type RenderContext, type RunJournal, type ShotOutcome,
} from '@storyreel/scheduler'
import type { FarmContext } from './farm-context.ts'
import { keys } from './keys.ts'
import { hasClip, loadOutcomes } from './outcomes.ts'
import { openRedisClipCache } from './redis-clip-cache.ts'
import { openRedisRunStore } from './redis-run-store.ts'
import { publish } from './run-events.ts'
import { loadRun } from './run-record.ts'
import type { RunView } from './run-view.ts'
import { settleShot } from './settle.ts'
import { sharedBudget } from './shared-budget.ts'

export interface ShotJobSetup {
  readonly farm: FarmContext
  readonly provider: Provider
  readonly hooks: Pick<ClipHooks, 'extractFrames' | 'verifyClip'>
  /** Aborted when the worker stops: the job is handed back, its prediction id kept in the journal. */
  readonly signal: AbortSignal
  /** When the job was first enqueued, for the shot's timings. */
  readonly queuedAt: number
  /** Runs work nobody waits for (frames no shot starts from) outside the job; failures are left to assembly. */
  readonly background: (work: () => Promise<void>) => void
}

/** How a shot job ended: settled (the graph moved on), or handed back to the queue with its prediction. */
export type ShotJobEnd = { readonly settled: ShotOutcome } | { readonly handedBack: true; readonly predictionId?: string }

/**
 * Takes one shot of a run through on this worker: decide from the run's Redis journal and the
 * shared cache, reuse or render (re-attaching to a prediction another worker started, never
 * submitting a second), land the clip and its frames in the store, then settle.
 */
export async function runShotJob(run: RunView, shotId: string, setup: ShotJobSetup): Promise<ShotJobEnd> {
  const { farm, signal } = setup
  const redis = farm.redis
  const store = farm.store!
  const { meta } = run
  const shot = run.shot(shotId)
  const layout = store.runLayout(meta.id)
  const settle = async (outcome: ShotOutcome): Promise<ShotJobEnd> => {
    await events
    await settleShot(farm, run, outcome)
    return { settled: outcome }
  }
  let events = Promise.resolve()
  const budget = sharedBudget(redis, meta.id, meta.maxCost)
  const emit = (event: EmitInput) => {
    const stamped = { ...event, at: Date.now(), spent: budget.spentOn(shotId) } as SchedulerEvent
    events = events.then(() => publish(redis, meta.id, { kind: 'shot', event: stamped }))
  }

  const earlier = (await loadOutcomes(redis, meta.id, layout)).get(shotId)
  if (earlier) return settle(earlier)
  if ((await loadRun(redis, meta.id)).status === 'canceled') return settle({ shot: shotId, status: 'aborted' })

  const runStore = openRedisRunStore(redis, store, meta.id, farm.secrets)
  await runStore.prepare()
  const journal = await runStore.openJournal()
  const histories = replayJournal(journal.records)
  const cache = openRedisClipCache(redis, store)
  // `force` means "render again" once per run: a shot this run already worked on (a job re-run
  // after its worker died) keeps what it has, or it would pay twice.
  const force = meta.force && !histories.has(shotId)
  const decide = decideContext(meta.plan, { provider: setup.provider, layout, cache, force, ...(meta.only ? { only: meta.only } : {}) }, histories)
  const outcomes = await loadOutcomes(redis, meta.id, layout)
  const upstreamSha = (id: string) => {
    const o = outcomes.get(id)
    return hasClip(o) ? o.sha256 : undefined
  }

  const handBack = (predictionId?: string): ShotJobEnd => ({ handedBack: true, ...(predictionId ? { predictionId } : {}) })
  try {
    const decision = await decideShot(shot, upstreamSha, decide)
    const images = [...decide.images.hashes].map(([path, sha]) => [store.nameOf(path) ?? path, sha])
    if (images.length > 0) await redis.hset(keys.images(meta.id), Object.fromEntries(images))
    if (decision.action === 'skip') {
      emit({ type: 'skipped', shot: shotId, reason: decision.reason })
      await journal.append({ type: 'skipped', at: Date.now(), shot: shotId, reason: decision.reason })
      return await settle({ shot: shotId, status: 'skipped', reason: decision.reason })
    }
    if (decision.action === 'refuse') {
      const a = decision.attempt
      const message = `${a.failure?.message ?? 'failed'} (prediction ${a.id ?? 'unknown'}, earlier in this run with the same inputs)`
      emit({ type: 'failed', shot: shotId, attempt: a.attempt, ...(a.id ? { predictionId: a.id } : {}), message, willRetry: false })
      return await settle({ shot: shotId, status: 'failed', message, ...(a.failure?.code ? { code: a.failure.code } : {}), ...(a.id ? { predictionId: a.id } : {}), attempts: 0, cost: 0 })
    }
    if (decision.action === 'reuse') {
      const clip = layout.shot(shotId).clip
      if (decision.source === 'cache') {
        await linkOrCopy(decision.file, clip)
        await journal.append({ type: 'cached', at: Date.now(), shot: shotId, key: decision.key, file: layout.relative(clip), sha256: decision.sha256 })
      }
      const frames = await placeFrames(shot, clip, run, setup)
      emit({ type: 'cached', shot: shotId, clip, sha256: decision.sha256, key: decision.key, source: decision.source })
      return await settle({ shot: shotId, status: 'cached', source: decision.source, clip, sha256: decision.sha256, key: decision.key, frames, ...(decision.predictionId ? { predictionId: decision.predictionId } : {}) })
    }
    if (decision.key === undefined) throw new Error(`Shot "${shotId}" was decided before its upstream clips existed.`)
    const startedAt = Date.now()
    const ctx = renderContext(setup, journal, histories, budget, emit, layout, cache, meta.maxCost, meta.retries)
    const outcome = await renderShot(shot, { ...decision, key: decision.key }, renderRequestOf(shot, layout), ctx)
    if (outcome.status === 'aborted') return handBack(outcome.predictionId)
    if (outcome.status === 'failed') {
      const { message, attempts } = outcome
      return await settle({ shot: shotId, status: 'failed', message, ...(outcome.code ? { code: outcome.code } : {}), ...(outcome.predictionId ? { predictionId: outcome.predictionId } : {}), attempts, cost: budget.spentOn(shotId) })
    }
    const frames = await placeFrames(shot, outcome.clip, run, setup)
    const timings = { queuedAt: setup.queuedAt, startedAt, ...(outcome.submittedAt === undefined ? {} : { submittedAt: outcome.submittedAt }), finishedAt: Date.now(), ...(outcome.inferenceMs === undefined ? {} : { inferenceMs: outcome.inferenceMs }) }
    emit({ type: 'done', shot: shotId, attempt: outcome.attempt, predictionId: outcome.predictionId, clip: outcome.clip, sha256: outcome.sha256, key: decision.key, timings })
    return await settle({ shot: shotId, status: 'done', predictionId: outcome.predictionId, attempts: outcome.attempts, cost: budget.spentOn(shotId), timings, clip: outcome.clip, sha256: outcome.sha256, key: decision.key, frames })
  } catch (error) {
    if (signal.aborted) return handBack()
    const message = error instanceof Error ? error.message : String(error)
    const code = (error as { code?: unknown }).code
    emit({ type: 'failed', shot: shotId, attempt: 0, message, ...(typeof code === 'string' ? { code } : {}), willRetry: false })
    return settle({ shot: shotId, status: 'failed', message, ...(typeof code === 'string' ? { code } : {}), attempts: 0, cost: budget.spentOn(shotId) })
  } finally {
    await journal.close()
  }
}

/** The shot cannot even start on this worker (no provider for it): it fails with the reason, once. */
export async function failShotJob(farm: FarmContext, run: RunView, shot: string, error: Error): Promise<ShotJobEnd> {
  const code = (error as { code?: unknown }).code
  const coded = typeof code === 'string' ? { code } : {}
  await publish(farm.redis, run.meta.id, { kind: 'shot', event: { type: 'failed', shot, attempt: 0, message: error.message, ...coded, willRetry: false, at: Date.now(), spent: 0 } })
  const outcome: ShotOutcome = { shot, status: 'failed', message: error.message, ...coded, attempts: 0, cost: 0 }
  await settleShot(farm, run, outcome)
  return { settled: outcome }
}

/**
 * The clip's frames in the store. The last frame is extracted now when another shot starts from it
 * (its sha256 kept for the manifest); the rest goes to the worker's background pool, outside the
 * key's slot, as the local scheduler does. Frames a dead worker never wrote are made at assembly.
 */
async function placeFrames(shot: PlannedShot, clip: string, run: RunView, setup: ShotJobSetup): Promise<{ first: string; last: string }> {
  const { farm, signal } = setup
  const frames = farm.store!.runLayout(run.meta.id).shot(shot.id)
  const chained = (run.dependents.get(shot.id) ?? []).length > 0
  if (chained) {
    await setup.hooks.extractFrames(clip, { last: frames.last }, { signal })
    await farm.redis.hset(keys.images(run.meta.id), farm.store!.nameOf(frames.last)!, await sha256File(frames.last))
  }
  setup.background(() => setup.hooks.extractFrames(clip, { first: frames.first, ...(chained ? {} : { last: frames.last }) }, { signal }))
  return { first: frames.first, last: frames.last }
}

function renderContext(
  setup: ShotJobSetup,
  journal: RunJournal,
  histories: ReturnType<typeof replayJournal>,
  budget: RenderContext['budget'],
  emit: (event: EmitInput) => void,
  layout: RenderContext['layout'],
  cache: RenderContext['cache'],
  maxCost: number | undefined,
  retries: number,
): RenderContext {
  const all = [...histories.values()]
  const maxAttempt = new Map(all.map((h) => [h.shot, Math.max(0, ...h.attempts.map((a) => a.attempt))]))
  return {
    provider: setup.provider,
    layout,
    journal,
    cache,
    budget,
    ...(setup.hooks.verifyClip ? { verifyClip: setup.hooks.verifyClip } : {}),
    ...(maxCost === undefined ? {} : { maxCost }),
    retries,
    signal: setup.signal,
    now: Date.now,
    knownIds: new Set(all.flatMap((h) => h.attempts.flatMap((a) => (a.id ? [a.id] : [])))),
    nextAttempt: (shot) => {
      const next = (maxAttempt.get(shot) ?? 0) + 1
      maxAttempt.set(shot, next)
      return next
    },
    emit,
    onRateLimit: (ms) => void setup.farm.keyLimit.rateLimited(ms),
  }
}
