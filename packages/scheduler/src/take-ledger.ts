import type { PlannedShot } from '@storyreel/core'
import { type Budget, reservationKey } from './budget.ts'
import { aboutTake, type EmitInput, type TakeUnit } from './render-context.ts'
import type { RunJournal } from './run-store.ts'
import type { ShotOutcome, TakeOutcome } from './run-types.ts'
import type { ShotGraph } from './shot-graph.ts'

export interface TakeLedgerSetup {
  readonly graph: ShotGraph
  readonly budget: Budget
  readonly journal: RunJournal
  readonly signal?: AbortSignal
  readonly now: () => number
  emit(event: EmitInput): void
  /** A shot whose every upstream has a clip: decide its takes. */
  ready(shot: PlannedShot): void
  /** Every shot and every opened take has an outcome. */
  finished(): void
  /** Something the run cannot go on after (a journal write that failed). */
  crash(error: unknown): void
}

/**
 * Which takes are still open and how each one ended; the picked take's outcome is its shot's, and
 * settling a shot readies or blocks the shots chained after it. The run ends when nothing is open.
 */
export interface TakeLedger {
  /** The shot's takes are about to be decided: the run does not end before each has an outcome. */
  open(shot: PlannedShot): void
  /** A take's final outcome (the first word counts); the picked take's is its shot's. */
  settle(unit: TakeUnit, outcome: ShotOutcome): void
  /**
   * The picked take's clip is far enough along for the shots chained after it (its last frame is in place):
   * they are readied with this outcome now, while the take stays open until `settle` gives the final one,
   * which replaces it (a clip that then fails its check fails the shot, not the shots already started from it).
   */
  handOff(unit: TakeUnit, outcome: ShotOutcome): void
  /** The whole shot is not rendered (every take). */
  skip(shot: string, reason: string): void
  /** Something went wrong outside the provider's answers (disk, journal): the take fails with it, or aborts. */
  fail(unit: TakeUnit, error: unknown): void
  /** A settled take's frames could not be extracted: it fails, without touching the shots chained after it. */
  framesFailed(unit: TakeUnit, error: unknown): void
  /** The take's outcome, once settled. */
  outcome(unit: TakeUnit): TakeOutcome | undefined
  /** Ends a run with no shots. */
  finishIfDone(): void
}

export function createTakeLedger(setup: TakeLedgerSetup): TakeLedger {
  const { graph, budget, signal } = setup
  /** Every take's outcome, by `reservationKey`; takes decided and not yet settled are `open`. */
  const outcomes = new Map<string, TakeOutcome>()
  const open = new Set<string>()
  /** Picked takes whose shot the graph already has a (provisional) outcome for, from `handOff`. */
  const handedOff = new Set<string>()
  const maybeFinish = () => {
    if (graph.complete && open.size === 0) setup.finished()
  }
  const settleShot = (outcome: ShotOutcome) => {
    const effect = graph.settle(outcome)
    if (!effect) return
    for (const shot of effect.ready) setup.ready(shot)
    for (const { shot, by } of effect.blocked) {
      if (by.status === 'aborted') settleShot({ shot, status: 'aborted' })
      else skip(shot, `needs "${by.shot}", which ${by.status === 'failed' ? 'failed' : 'was skipped'}`)
    }
    maybeFinish()
  }
  const settle = ({ shot, take }: TakeUnit, outcome: ShotOutcome) => {
    const key = reservationKey(shot.id, take)
    if (outcomes.has(key)) return
    const picked = take === shot.pick
    outcomes.set(key, { ...outcome, take, picked })
    open.delete(key)
    budget.release(shot.id, take)
    if (picked && handedOff.has(key)) {
      graph.amend(outcome)
      maybeFinish()
    } else if (picked) settleShot(outcome)
    else maybeFinish()
  }
  const skip = (id: string, reason: string) => {
    if (graph.outcome(id)) return
    setup.emit({ type: 'skipped', shot: id, reason })
    setup.journal.append({ type: 'skipped', at: setup.now(), shot: id, reason }).catch(setup.crash)
    const shot = graph.shot(id)
    const outcome: ShotOutcome = { shot: id, status: 'skipped', reason }
    if (open.has(reservationKey(id, shot.pick))) settle({ shot, take: shot.pick }, outcome)
    else settleShot(outcome)
  }
  return {
    open(shot) {
      for (let take = 1; take <= shot.takes; take++) open.add(reservationKey(shot.id, take))
    },
    settle,
    handOff({ shot, take }, outcome) {
      const key = reservationKey(shot.id, take)
      if (take !== shot.pick || !open.has(key) || graph.outcome(shot.id)) return
      handedOff.add(key)
      settleShot(outcome)
    },
    skip,
    fail(unit, error) {
      const shot = unit.shot.id
      if (signal?.aborted) return settle(unit, { shot, status: 'aborted' })
      const message = error instanceof Error ? error.message : String(error)
      const code = (error as { code?: unknown }).code
      const coded = typeof code === 'string' ? { code } : {}
      setup.emit({ type: 'failed', ...aboutTake(unit), attempt: 0, message, ...coded, willRetry: false })
      settle(unit, {
        shot,
        status: 'failed',
        message,
        ...coded,
        attempts: 0,
        cost: budget.spentOn(shot, unit.take),
      })
    },
    framesFailed({ shot, take }, error) {
      if (signal?.aborted) return
      const message = `The clip is fine but its frames could not be extracted: ${error instanceof Error ? error.message : String(error)}`
      const key = reservationKey(shot.id, take)
      const prior = outcomes.get(key)
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
      outcomes.set(key, { ...failed, take, picked: take === shot.pick })
      if (take === shot.pick) graph.amend(failed)
    },
    outcome: ({ shot, take }) => outcomes.get(reservationKey(shot.id, take)),
    finishIfDone: maybeFinish,
  }
}
