import type { Provider } from '@storyreel/core'
import {
  type ClipHooks,
  decideContext,
  decideShot,
  type EmitInput,
  replayJournal,
  type RunJournal,
  type SchedulerEvent,
  type ShotOutcome,
  type TakeOutcome,
} from '@storyreel/scheduler'
import type { FarmContext } from './farm-context.ts'
import { keys } from './keys.ts'
import { hasClip, loadOutcomes, recordTake } from './outcomes.ts'
import { openRedisClipCache } from './redis-clip-cache.ts'
import { openRedisRunStore } from './redis-run-store.ts'
import { publish } from './run-events.ts'
import { loadRun } from './run-record.ts'
import type { RunView } from './run-view.ts'
import { settleShot } from './settle.ts'
import { sharedBudget } from './shared-budget.ts'
import { type TakeJob, takeJob } from './take-job.ts'

export interface ShotJobSetup {
  readonly farm: FarmContext
  readonly provider: Provider
  readonly hooks: Pick<ClipHooks, 'extractFrames' | 'verifyClip'>
  /**
   * Aborted when the worker stops (the job is handed back, its prediction id kept in the journal) or loses
   * the job's lock (another worker has it and re-attaches to the prediction; nothing is handed back).
   */
  readonly signal: AbortSignal
  /** Throws unless this worker still holds the job's lock: called before each step another worker must not repeat. */
  readonly confirm: () => Promise<void>
  /** When the job was first enqueued, for the shot's timings. */
  readonly queuedAt: number
  /** Runs work nobody waits for (frames no shot starts from) outside the job; failures are left to assembly. */
  readonly background: (work: () => Promise<void>) => void
}

/** How a shot job ended: settled (the graph moved on), or handed back to the queue with its prediction. */
export type ShotJobEnd =
  { readonly settled: ShotOutcome } | { readonly handedBack: true; readonly predictionId?: string }

/**
 * Takes one shot of a run through on this worker, its takes one after another in the job's one
 * slot: decide from the run's Redis journal and the shared cache, reuse or render (re-attaching to
 * a prediction another worker started, never submitting a second), land each clip and its frames
 * in the store, then settle the shot with its picked take.
 */
export async function runShotJob(run: RunView, shotId: string, setup: ShotJobSetup): Promise<ShotJobEnd> {
  const { farm } = setup
  const redis = farm.redis
  const store = farm.store!
  const { meta } = run
  const shot = run.shot(shotId)
  const layout = store.runLayout(meta.id)
  let events = Promise.resolve()
  const settle = async (outcome: ShotOutcome): Promise<ShotJobEnd> => {
    await events
    // Settling enqueues the next shots and, last, the assembly: only the job's holder may do it.
    await setup.confirm()
    await settleShot(farm, run, outcome)
    return { settled: outcome }
  }
  const earlier = (await loadOutcomes(redis, meta.id, layout)).get(shotId)
  if (earlier) return settle(earlier)
  if ((await loadRun(redis, meta.id)).status === 'canceled')
    return settle({ shot: shotId, status: 'aborted' })

  const budget = sharedBudget(redis, meta.id, meta.maxCost)
  const emit = (event: EmitInput) => {
    const stamped = { ...event, at: Date.now(), spent: budget.spentOn(shotId) } as SchedulerEvent
    events = events.then(() => publish(redis, meta.id, { kind: 'shot', event: stamped }))
  }
  const runStore = openRedisRunStore(redis, store, meta.id, farm.secrets)
  await runStore.prepare()
  const journal: RunJournal = await runStore.openJournal()
  try {
    const histories = replayJournal(journal.records)
    // `force` means "render again" once per run: a shot this run already worked on (a job re-run
    // after its worker died) keeps what it has, or it would pay twice.
    const force = meta.force && !histories.has(shotId)
    const cache = openRedisClipCache(redis, store)
    const decide = decideContext(
      meta.plan,
      { provider: setup.provider, layout, cache, force, ...(meta.only ? { only: meta.only } : {}) },
      histories,
    )
    const outcomes = await loadOutcomes(redis, meta.id, layout)
    const upstreamSha = (id: string) => {
      const o = outcomes.get(id)
      return hasClip(o) ? o.sha256 : undefined
    }
    const job: TakeJob = { run, setup, journal, histories, budget, emit, layout, cache }
    let picked: TakeOutcome | undefined
    for (let take = 1; take <= shot.takes; take++) {
      const decision = await decideShot(shot, take, upstreamSha, decide)
      const images = [...decide.images.hashes].map(([path, sha]) => [store.nameOf(path) ?? path, sha])
      if (images.length > 0) await redis.hset(keys.images(meta.id), Object.fromEntries(images))
      const end = await takeJob({ shot, take }, decision, job)
      if ('handedBack' in end) return end
      await setup.confirm()
      await recordTake(redis, meta.id, layout, end)
      if (end.picked) picked = end
    }
    const { take: _take, picked: _picked, ...outcome } = picked!
    return await settle(outcome as ShotOutcome)
  } catch (error) {
    if (setup.signal.aborted) return { handedBack: true }
    const message = error instanceof Error ? error.message : String(error)
    const code = (error as { code?: unknown }).code
    emit({
      type: 'failed',
      shot: shotId,
      take: shot.pick,
      picked: true,
      attempt: 0,
      message,
      ...(typeof code === 'string' ? { code } : {}),
      willRetry: false,
    })
    return settle({
      shot: shotId,
      status: 'failed',
      message,
      ...(typeof code === 'string' ? { code } : {}),
      attempts: 0,
      cost: budget.spentOn(shotId),
    })
  } finally {
    await journal.close()
  }
}

/** The shot cannot even start on this worker (no provider for it): it fails with the reason, once. */
export async function failShotJob(
  farm: FarmContext,
  run: RunView,
  shot: string,
  error: Error,
): Promise<ShotJobEnd> {
  const code = (error as { code?: unknown }).code
  const coded = typeof code === 'string' ? { code } : {}
  const pick = run.shot(shot).pick
  await publish(farm.redis, run.meta.id, {
    kind: 'shot',
    event: {
      type: 'failed',
      shot,
      take: pick,
      picked: true,
      attempt: 0,
      message: error.message,
      ...coded,
      willRetry: false,
      at: Date.now(),
      spent: 0,
    },
  })
  const outcome: ShotOutcome = {
    shot,
    status: 'failed',
    message: error.message,
    ...coded,
    attempts: 0,
    cost: 0,
  }
  await settleShot(farm, run, outcome)
  return { settled: outcome }
}
