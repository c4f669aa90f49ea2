import { estimateRenderSeconds, type Plan, type PlannedShot } from '@storyreel/core'
import { createBudget, reservationKey } from './budget.ts'
import type { ClipCache } from './clip-cache.ts'
import { createFrameWork } from './clip-frames.ts'
import type { DecideContext } from './decide-shot.ts'
import { createDispatcher } from './dispatcher.ts'
import type { RunEstimate } from './estimate.ts'
import type { SchedulerEvent } from './events.ts'
import { takeRank } from './priority.ts'
import { aboutTake, type EmitInput, type RenderContext, type TakeUnit } from './render-context.ts'
import type { RunLayout } from './run-layout.ts'
import type { RunJournal } from './run-store.ts'
import type { RunOptions, ShotOutcome, TakeOutcome } from './run-types.ts'
import { createShotGraph } from './shot-graph.ts'
import { createShotPipeline } from './shot-pipeline.ts'

export interface LoopSetup {
  readonly layout: RunLayout
  readonly journal: RunJournal
  readonly cache: ClipCache
  readonly decide: DecideContext
  readonly estimate: RunEstimate
  /** Each shot's remaining path in seconds, for the priority of its picked take. */
  readonly remaining: ReadonlyMap<string, number>
}

/**
 * Renders every take of every shot as its inputs finish: the graph says which shots are ready or blocked
 * (by their picked take), the dispatcher gives ready takes a slot by priority, the pipeline takes each through.
 * @returns each shot's outcome (its picked take) and every take's, in storyboard order, what this run spent,
 *   and the sha256 of each last frame a chained shot starts from.
 */
export async function runShots(
  plan: Plan,
  options: RunOptions,
  setup: LoopSetup,
): Promise<{
  outcomes: ShotOutcome[]
  takes: TakeOutcome[]
  spent: number
  lastFrames: ReadonlyMap<string, string>
}> {
  const now = options.now ?? Date.now
  const { signal } = options
  const { journal, layout } = setup
  const graph = createShotGraph(plan)
  const reservations = setup.estimate.shots.flatMap((s) =>
    s.takes
      .filter((t) => t.action === 'submit' || t.action === 'recover')
      .map((t) => [reservationKey(s.shot, t.take), t.cost] as const),
  )
  const budget = createBudget(options.maxCost, new Map(reservations))
  // What earlier runs did, from the one replay of the journal the decisions use.
  const histories = [...setup.decide.histories.values()]
  const maxAttempt = new Map(histories.map((h) => [h.shot, Math.max(0, ...h.attempts.map((a) => a.attempt))]))
  const knownIds = new Set(histories.flatMap((h) => h.attempts.flatMap((a) => (a.id ? [a.id] : []))))
  const queuedAt = new Map<string, number>()
  const latency =
    options.estimateLatency ??
    ((shot: PlannedShot) => estimateRenderSeconds(shot.model, shot.params.duration))
  const rank = takeRank(setup.remaining, latency)

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

  /** Every take's outcome, by `reservationKey`; takes decided and not yet settled are `open`. */
  const takeOutcomes = new Map<string, TakeOutcome>()
  const open = new Set<string>()
  const maybeFinish = () => {
    if (graph.complete && open.size === 0) finish()
  }
  const settleShot = (outcome: ShotOutcome) => {
    const effect = graph.settle(outcome)
    if (!effect) return
    for (const shot of effect.ready) void dispatcher.deciding(() => pipeline.decide(shot))
    for (const { shot, by } of effect.blocked) {
      if (by.status === 'aborted') settleShot({ shot, status: 'aborted' })
      else skip(shot, `needs "${by.shot}", which ${by.status === 'failed' ? 'failed' : 'was skipped'}`)
    }
    maybeFinish()
  }
  const settle = ({ shot, take }: TakeUnit, outcome: ShotOutcome) => {
    const key = reservationKey(shot.id, take)
    if (takeOutcomes.has(key)) return
    const picked = take === shot.pick
    takeOutcomes.set(key, { ...outcome, take, picked })
    open.delete(key)
    budget.release(shot.id, take)
    if (picked) settleShot(outcome)
    else maybeFinish()
  }
  const skip = (id: string, reason: string) => {
    if (graph.outcome(id)) return
    emit({ type: 'skipped', shot: id, reason })
    journal.append({ type: 'skipped', at: now(), shot: id, reason }).catch(crash)
    const shot = graph.shot(id)
    const outcome: ShotOutcome = { shot: id, status: 'skipped', reason }
    if (open.has(reservationKey(id, shot.pick))) settle({ shot, take: shot.pick }, outcome)
    else settleShot(outcome)
  }
  const fail = (unit: TakeUnit, error: unknown) => {
    const shot = unit.shot.id
    if (signal?.aborted) return settle(unit, { shot, status: 'aborted' })
    const message = error instanceof Error ? error.message : String(error)
    const code = (error as { code?: unknown }).code
    const coded = typeof code === 'string' ? { code } : {}
    emit({ type: 'failed', ...aboutTake(unit), attempt: 0, message, ...coded, willRetry: false })
    settle(unit, {
      shot,
      status: 'failed',
      message,
      ...coded,
      attempts: 0,
      cost: budget.spentOn(shot, unit.take),
    })
  }

  const lastFrames = new Map<string, string>()
  const frames = createFrameWork({
    layout,
    extractFrames: options.extractFrames,
    ...(signal ? { signal } : {}),
    hashed: (path, sha256) => lastFrames.set(path, sha256),
    failed: ({ shot, take }, error) => {
      if (signal?.aborted) return
      const message = `The clip is fine but its frames could not be extracted: ${error instanceof Error ? error.message : String(error)}`
      const key = reservationKey(shot.id, take)
      const prior = takeOutcomes.get(key)
      const predictionId =
        prior && 'predictionId' in prior && prior.predictionId ? { predictionId: prior.predictionId } : {}
      const failed: ShotOutcome = {
        shot: shot.id,
        status: 'failed',
        message,
        attempts: 0,
        cost: budget.spentOn(shot.id, take),
        ...predictionId,
      }
      takeOutcomes.set(key, { ...failed, take, picked: take === shot.pick })
      if (take === shot.pick) graph.amend(failed)
    },
  })

  const render: RenderContext = {
    provider: options.provider,
    layout,
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
    open: (shot) => {
      for (let take = 1; take <= shot.takes; take++) open.add(reservationKey(shot.id, take))
    },
    enqueue: (item) => dispatcher.enqueue(item),
    chainOutranksWaiting: (shot) => dispatcher.outranksWaiting(graph.dependents(shot)),
    settle,
    skip,
    fail,
  })
  const dispatcher = createDispatcher({
    concurrency: options.concurrency,
    ...(options.rateLimitQuietMs === undefined ? {} : { rateLimitQuietMs: options.rateLimitQuietMs }),
    rank: (item) => rank(item.shot, item.take),
    shotRank: (id) => rank(graph.shot(id), graph.shot(id).pick),
    ...(signal ? { signal } : {}),
    start: (item, slot) => pipeline.render(item, slot).catch(crash),
    dropped: (item) => settle(item, { shot: item.shot.id, status: 'aborted' }),
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
  // A shot's outcome counts the spend of all its takes; a take's clip and frames are named at its own place.
  const outcomes = graph
    .outcomes()
    .map((o) => (o.status === 'done' || o.status === 'failed' ? { ...o, cost: budget.spentOn(o.shot) } : o))
  const takes = plan.shots.flatMap((shot) =>
    Array.from({ length: shot.takes }, (_, i): TakeOutcome => {
      const take = i + 1
      const picked = take === shot.pick
      const outcome =
        (picked ? graph.outcome(shot.id) : undefined) ?? takeOutcomes.get(reservationKey(shot.id, take))
      // A take never decided shares its shot's fate (skipped after a failed upstream, or aborted).
      const known = outcome ?? graph.outcome(shot.id)!
      if (known.status !== 'done' && known.status !== 'cached') return { ...known, take, picked }
      const own = layout.take(shot.id, take)
      return {
        ...known,
        take,
        picked,
        clip: own.clip,
        frames: { first: own.first, last: own.last },
        ...(picked && known.status === 'done' ? { cost: budget.spentOn(shot.id, take) } : {}),
      }
    }),
  )
  return { outcomes, takes, spent: budget.spent, lastFrames }
}
