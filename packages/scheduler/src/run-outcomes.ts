import type { Plan } from '@storyreel/core'
import type { Budget } from './budget.ts'
import type { RunLayout } from './run-layout.ts'
import type { ShotOutcome, TakeOutcome } from './run-types.ts'
import type { ShotGraph } from './shot-graph.ts'
import type { TakeLedger } from './take-ledger.ts'

/**
 * The finished run as its result reports it: each shot's outcome counts the spend of all its takes;
 * each take's clip and frames are named at its own place.
 */
export function runOutcomes(
  plan: Plan,
  graph: ShotGraph,
  ledger: TakeLedger,
  layout: RunLayout,
  budget: Budget,
): { outcomes: ShotOutcome[]; takes: TakeOutcome[] } {
  const outcomes = graph
    .outcomes()
    .map((o) => (o.status === 'done' || o.status === 'failed' ? { ...o, cost: budget.spentOn(o.shot) } : o))
  const takes = plan.shots.flatMap((shot) =>
    Array.from({ length: shot.takes }, (_, i): TakeOutcome => {
      const take = i + 1
      const picked = take === shot.pick
      const outcome = (picked ? graph.outcome(shot.id) : undefined) ?? ledger.outcome({ shot, take })
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
  return { outcomes, takes }
}
