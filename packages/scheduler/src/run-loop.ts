import type { Plan } from '@storyreel/core'
import { createBudget } from './budget.ts'
import { createFrameWork } from './clip-frames.ts'
import type { DecideContext } from './decide-shot.ts'
import { createDispatcher } from './dispatcher.ts'
import type { RunEstimate } from './estimate.ts'
import type { SchedulerEvent } from './events.ts'
import type { ClipCache } from './clip-cache.ts'
import type { EmitInput, RenderContext } from './render-context.ts'
import type { RunLayout } from './run-layout.ts'
import type { RunJournal } from './run-store.ts'
import type { RunOptions, ShotOutcome } from './run-types.ts'
import { createShotGraph } from './shot-graph.ts'
import { createShotPipeline } from './shot-pipeline.ts'

export interface LoopSetup {
  readonly layout: RunLayout
  readonly journal: RunJournal
  readonly cache: ClipCache
  readonly decide: DecideContext
  readonly estimate: RunEstimate
  /** Each shot's remaining path in seconds, for the priority. */
  readonly remaining: ReadonlyMap<string, number>
}

/**
 * Renders every shot as its inputs finish: the graph says which shots are ready or blocked,
 * the dispatcher gives ready ones a slot by priority, the pipeline takes each shot through.
 * @returns each shot's outcome in storyboard order, what this run spent, and the sha256 of each last frame a chained shot starts from.
 */
export async function runShots(plan: Plan, options: RunOptions, setup: LoopSetup): Promise<{ outcomes: ShotOutcome[]; spent: number; lastFrames: ReadonlyMap<string, string> }> {
  const now = options.now ?? Date.now
  const { signal } = options
  const { journal } = setup
  const graph = createShotGraph(plan)
  const budget = createBudget(options.maxCost, new Map(setup.estimate.shots.filter((s) => s.action === 'submit' || s.action === 'recover').map((s) => [s.shot, s.cost])))
  // What earlier runs did, from the one replay of the journal the decisions use.
  const histories = [...setup.decide.histories.values()]
  const maxAttempt = new Map(histories.map((h) => [h.shot, Math.max(0, ...h.attempts.map((a) => a.attempt))]))
  const knownIds = new Set(histories.flatMap((h) => h.attempts.flatMap((a) => (a.id ? [a.id] : []))))
  const queuedAt = new Map<string, number>()

  let finish!: () => void
  let crash!: (error: unknown) => void
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve
    crash = reject
  })

  const emit = (event: EmitInput) => {
    try {
      options.onEvent?.({ ...event, at: now(), spent: budget.spentOn(event.shot) } as SchedulerEvent)
    } catch {
      // A broken progress view must not stop a run that is spending money.
    }
  }

  const settle = (outcome: ShotOutcome) => {
    const effect = graph.settle(outcome)
    if (!effect) return
    budget.release(outcome.shot)
    for (const shot of effect.ready) void dispatcher.deciding(() => pipeline.decide(shot))
    for (const { shot, by } of effect.blocked) {
      if (by.status === 'aborted') settle({ shot, status: 'aborted' })
      else skip(shot, `needs "${by.shot}", which ${by.status === 'failed' ? 'failed' : 'was skipped'}`)
    }
    if (graph.complete) finish()
  }
  const skip = (shot: string, reason: string) => {
    if (graph.outcome(shot)) return
    emit({ type: 'skipped', shot, reason })
    journal.append({ type: 'skipped', at: now(), shot, reason }).catch(crash)
    settle({ shot, status: 'skipped', reason })
  }
  const fail = (shot: string, error: unknown) => {
    if (signal?.aborted) return settle({ shot, status: 'aborted' })
    const message = error instanceof Error ? error.message : String(error)
    const code = (error as { code?: unknown }).code
    const coded = typeof code === 'string' ? { code } : {}
    emit({ type: 'failed', shot, attempt: 0, message, ...coded, willRetry: false })
    settle({ shot, status: 'failed', message, ...coded, attempts: 0, cost: budget.spentOn(shot) })
  }

  const lastFrames = new Map<string, string>()
  const frames = createFrameWork({
    layout: setup.layout,
    extractFrames: options.extractFrames,
    ...(signal ? { signal } : {}),
    hashed: (path, sha256) => lastFrames.set(path, sha256),
    failed: (shot, error) => {
      if (signal?.aborted) return
      const message = `The clip is fine but its frames could not be extracted: ${error instanceof Error ? error.message : String(error)}`
      const prior = graph.outcome(shot)
      const predictionId = prior && 'predictionId' in prior && prior.predictionId ? { predictionId: prior.predictionId } : {}
      graph.amend({ shot, status: 'failed', message, attempts: 0, cost: budget.spentOn(shot), ...predictionId })
    },
  })

  const render: RenderContext = {
    provider: options.provider,
    layout: setup.layout,
    journal,
    cache: setup.cache,
    budget,
    ...(options.verifyClip ? { verifyClip: options.verifyClip } : {}),
    ...(options.maxCost === undefined ? {} : { maxCost: options.maxCost }),
    retries: options.retries ?? 1,
    ...(signal ? { signal } : {}),
    now,
    knownIds,
    nextAttempt: (shot) => {
      const next = (maxAttempt.get(shot) ?? 0) + 1
      maxAttempt.set(shot, next)
      return next
    },
    emit,
    onRateLimit: (ms) => dispatcher.rateLimited(ms),
  }
  const pipeline = createShotPipeline({
    graph,
    decide: setup.decide,
    render,
    frames,
    ...(options.onClip ? { onClip: options.onClip } : {}),
    queuedAt,
    enqueue: (item) => dispatcher.enqueue(item),
    chainOutranksWaiting: (shot) => dispatcher.outranksWaiting(graph.dependents(shot)),
    settle,
    skip,
    fail,
  })
  const dispatcher = createDispatcher({
    concurrency: options.concurrency,
    ...(options.rateLimitQuietMs === undefined ? {} : { rateLimitQuietMs: options.rateLimitQuietMs }),
    remaining: setup.remaining,
    indexOf: (id) => graph.shot(id).index,
    ...(signal ? { signal } : {}),
    start: (item, slot) => pipeline.render(item, slot).catch(crash),
    dropped: (item) => settle({ shot: item.shot.id, status: 'aborted' }),
  })

  try {
    for (const shot of plan.shots) {
      queuedAt.set(shot.id, now())
      emit({ type: 'queued', shot: shot.id })
    }
    for (const shot of plan.shots) {
      if (shot.dependsOn.length > 0) emit({ type: 'waiting', shot: shot.id, on: shot.dependsOn })
      else void dispatcher.deciding(() => pipeline.decide(shot))
    }
    if (plan.shots.length === 0) finish()
    await finished
    await frames.drain()
  } finally {
    dispatcher.stop()
  }
  return { outcomes: graph.outcomes(), spent: budget.spent, lastFrames }
}
