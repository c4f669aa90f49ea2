import { sumUsd } from './journal-replay.ts'

/**
 * The run's spend against `maxCost`. Shots the estimate plans to submit hold a
 * reservation of their first attempt's price, so a retry may only spend what is
 * left after every planned shot has had its first attempt.
 */
export interface Budget {
  /** USD of predictions this run created. */
  readonly spent: number
  spentOn(shot: string): number
  /** What total spend would become if `shot` submitted a prediction at `price` now; `ok` when within `maxCost`. */
  check(shot: string, price: number): { ok: boolean; projected: number }
  /** Records a created prediction and drops the shot's reservation. */
  commit(shot: string, price: number): void
  /** The shot will submit nothing more (done, failed, skipped): its reservation is freed. */
  release(shot: string): void
}

export function createBudget(maxCost: number | undefined, reservations: ReadonlyMap<string, number>): Budget {
  const reserved = new Map(reservations)
  const spentBy = new Map<string, number>()
  let spent = 0
  return {
    get spent() {
      return spent
    },
    spentOn: (shot) => spentBy.get(shot) ?? 0,
    check(shot, price) {
      const others = sumUsd([...reserved].filter(([id]) => id !== shot).map(([, usd]) => usd))
      const projected = sumUsd([spent, price, others])
      return { ok: maxCost === undefined || projected <= maxCost, projected }
    },
    commit(shot, price) {
      reserved.delete(shot)
      spent = sumUsd([spent, price])
      spentBy.set(shot, sumUsd([spentBy.get(shot) ?? 0, price]))
    },
    release(shot) {
      reserved.delete(shot)
    },
  }
}
