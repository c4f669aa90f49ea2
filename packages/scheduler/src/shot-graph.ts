import type { Plan, PlannedShot } from '@storyreel/core'
import { dependentsOf } from './priority.ts'
import type { ShotOutcome } from './run-types.ts'

/** What settling one shot changes downstream. */
export interface SettleEffect {
  /** Shots whose every upstream now has a clip: they can be decided. */
  readonly ready: readonly PlannedShot[]
  /** Shots that can no longer render, and the upstream outcome that stopped them. */
  readonly blocked: readonly { readonly shot: string; readonly by: ShotOutcome }[]
}

/**
 * The plan as a graph of shots: which are ready (every upstream has a clip), which wait,
 * which are blocked. Pure bookkeeping; the run decides what to do with each change.
 */
export interface ShotGraph {
  readonly shots: readonly PlannedShot[]
  /** Shots with no upstream: ready from the start. */
  readonly roots: readonly PlannedShot[]
  shot(id: string): PlannedShot
  /** Shots that start from this one's clip. */
  dependents(id: string): readonly string[]
  /** The sha256 of the shot's finished clip, once it has one. */
  clipSha(id: string): string | undefined
  /** Records the shot's final outcome; undefined when it already had one (the first word counts). */
  settle(outcome: ShotOutcome): SettleEffect | undefined
  /** Replaces a recorded outcome without touching the shots after it (frames that failed after the chain went on). */
  amend(outcome: ShotOutcome): void
  outcome(id: string): ShotOutcome | undefined
  /** True once every shot has an outcome. */
  readonly complete: boolean
  /** Every outcome, in storyboard order. */
  outcomes(): ShotOutcome[]
}

export function createShotGraph(plan: Plan): ShotGraph {
  const dependents = dependentsOf(plan)
  const byId = new Map(plan.shots.map((s) => [s.id, s]))
  const waitingOn = new Map(plan.shots.map((s) => [s.id, new Set(s.dependsOn)]))
  const outcomes = new Map<string, ShotOutcome>()
  const clipSha = new Map<string, string>()
  return {
    shots: plan.shots,
    roots: plan.shots.filter((s) => s.dependsOn.length === 0),
    shot: (id) => byId.get(id)!,
    dependents: (id) => dependents.get(id) ?? [],
    clipSha: (id) => clipSha.get(id),
    settle(outcome) {
      if (outcomes.has(outcome.shot)) return undefined
      outcomes.set(outcome.shot, outcome)
      const next = dependents.get(outcome.shot) ?? []
      if (outcome.status !== 'done' && outcome.status !== 'cached')
        return { ready: [], blocked: next.map((shot) => ({ shot, by: outcome })) }
      clipSha.set(outcome.shot, outcome.sha256)
      const ready: PlannedShot[] = []
      for (const id of next) {
        const waits = waitingOn.get(id)!
        waits.delete(outcome.shot)
        if (waits.size === 0) ready.push(byId.get(id)!)
      }
      return { ready, blocked: [] }
    },
    amend(outcome) {
      outcomes.set(outcome.shot, outcome)
    },
    outcome: (id) => outcomes.get(id),
    get complete() {
      return outcomes.size === plan.shots.length
    },
    outcomes: () => plan.shots.map((s) => outcomes.get(s.id)!),
  }
}
