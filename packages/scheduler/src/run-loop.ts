import { estimateRenderSeconds, type Plan, type PlannedShot } from '@storyreel/core'
import { type Budget, createBudget, reservationKey } from './budget.ts'
import type { ClipCache } from './clip-cache.ts'
import { createFrameWork } from './clip-frames.ts'
import type { DecideContext } from './decide-shot.ts'
import { createDispatcher } from './dispatcher.ts'
import type { RunEstimate } from './estimate.ts'
import type { SchedulerEvent } from './events.ts'
import { takeRank } from './priority.ts'
import type { EmitInput, RenderContext } from './render-context.ts'
import type { RunLayout } from './run-layout.ts'
import { runOutcomes } from './run-outcomes.ts'
import type { RunJournal } from './run-store.ts'
import type { RunOptions, ShotOutcome, TakeOutcome } from './run-types.ts'
import { createShotGraph } from './shot-graph.ts'
import { createShotPipeline } from './shot-pipeline.ts'
import { createTakeLedger } from './take-ledger.ts'

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
 * (by their picked take), the dispatcher gives ready takes a slot by priority, the pipeline takes each through,
 * the ledger keeps each take's outcome and ends the run when none is open.
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

  const ledger = createTakeLedger({
    graph,
    budget,
    journal,
    ...(signal ? { signal } : {}),
    now,
    emit,
    ready: (shot) => void dispatcher.deciding(() => pipeline.decide(shot)),
    finished: () => finish(),
    crash: (error) => crash(error),
  })
  const lastFrames = new Map<string, string>()
  const frames = createFrameWork({
    layout,
    extractFrames: options.extractFrames,
    ...(signal ? { signal } : {}),
    hashed: (path, sha256) => lastFrames.set(path, sha256),
    failed: ledger.framesFailed,
  })
  const pipeline = createShotPipeline({
    graph,
    decide: setup.decide,
    render: renderContext(options, setup, budget, now, emit, (ms) => dispatcher.rateLimited(ms)),
    frames,
    ...(options.onClip ? { onClip: options.onClip } : {}),
    queuedAt,
    open: ledger.open,
    enqueue: (item) => dispatcher.enqueue(item),
    chainOutranksWaiting: (shot) => dispatcher.outranksWaiting(graph.dependents(shot)),
    settle: ledger.settle,
    handOff: ledger.handOff,
    skip: ledger.skip,
    fail: ledger.fail,
  })
  const dispatcher = createDispatcher({
    concurrency: options.concurrency,
    ...(options.rateLimitQuietMs === undefined ? {} : { rateLimitQuietMs: options.rateLimitQuietMs }),
    rank: (item) => rank(item.shot, item.take),
    shotRank: (id) => rank(graph.shot(id), graph.shot(id).pick),
    ...(signal ? { signal } : {}),
    start: (item, slot) => pipeline.render(item, slot).catch(crash),
    dropped: (item) => ledger.settle(item, { shot: item.shot.id, status: 'aborted' }),
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
    if (plan.shots.length === 0) ledger.finishIfDone()
    await finished
    await frames.drain()
  } finally {
    dispatcher.stop()
  }
  return { ...runOutcomes(plan, graph, ledger, layout, budget), spent: budget.spent, lastFrames }
}

/** What the pipeline's renders need from the run: its stores, budget, clock and attempt numbering. */
function renderContext(
  options: RunOptions,
  setup: LoopSetup,
  budget: Budget,
  now: () => number,
  emit: (event: EmitInput) => void,
  onRateLimit: (retryAfterMs: number) => void,
): RenderContext {
  // What earlier runs did, from the one replay of the journal the decisions use.
  const histories = [...setup.decide.histories.values()]
  const maxAttempt = new Map(histories.map((h) => [h.shot, Math.max(0, ...h.attempts.map((a) => a.attempt))]))
  return {
    provider: options.provider,
    layout: setup.layout,
    journal: setup.journal,
    cache: setup.cache,
    budget,
    ...(options.verifyClip ? { verifyClip: options.verifyClip } : {}),
    ...(options.maxCost === undefined ? {} : { maxCost: options.maxCost }),
    retries: options.retries ?? 1,
    ...(options.signal ? { signal: options.signal } : {}),
    now,
    knownIds: new Set(histories.flatMap((h) => h.attempts.flatMap((a) => (a.id ? [a.id] : [])))),
    nextAttempt: (shot) => {
      const next = (maxAttempt.get(shot) ?? 0) + 1
      maxAttempt.set(shot, next)
      return next
    },
    emit,
    onRateLimit,
  }
}
