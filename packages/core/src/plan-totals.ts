import type { Plan, PlannedShot } from './plan-types.ts'

const cents = (usd: number) => Math.round(usd * 100) / 100

/** Estimated USD for every take of the shot, one attempt each (`shot.cost` is one take's). */
export function shotCost(shot: PlannedShot): number {
  return cents(shot.cost * shot.takes)
}

export interface PlanTotals {
  readonly shots: number
  /** Predictions a render submits when nothing fails: every shot's takes. */
  readonly takes: number
  /** Seconds of video in the shots' clips, one take each (before trims and transitions). */
  readonly seconds: number
  /** Estimated USD for every take of every shot, one attempt each. */
  readonly cost: number
  /** Aliases of the models whose price WaveSpeed does not publish: when any, `cost` is an estimate. */
  readonly inferredPrices: readonly string[]
}

/** What a plan renders and costs, takes counted: for `plan`, `validate` and spend checks. */
export function planTotals(plan: Plan): PlanTotals {
  let takes = 0
  let seconds = 0
  let cost = 0
  const inferred = new Set<string>()
  for (const shot of plan.shots) {
    takes += shot.takes
    seconds += shot.params.duration
    cost += shot.cost * shot.takes
    if (shot.model.priceSource === 'inferred') inferred.add(shot.model.alias)
  }
  return { shots: plan.shots.length, takes, seconds, cost: cents(cost), inferredPrices: [...inferred] }
}
