import { sumUsd } from './usd.ts'

/**
 * The run's spend against `maxCost`. Shots the estimate plans to submit hold a
 * reservation of their first attempt's price, so a retry may only spend what is
 * left after every planned shot has had its first attempt. A prediction the
 * service refunds stops counting.
 */
export interface Budget extends RenderBudget {
  /** USD of predictions this run created, less refunds. */
  readonly spent: number
  spentOn(shot: string): number
  /** The shot will submit nothing more (done, failed, skipped): its reservation is freed. */
  release(shot: string): void
}

/**
 * What taking a shot through its predictions asks of the budget. A farm's budget answers from
 * Redis (every worker's spend counts against one `maxCost`), so each call may be asynchronous.
 */
export interface RenderBudget {
  /** What total spend would become if `shot` submitted a prediction at `price` now; `ok` when within `maxCost`. */
  check(shot: string, price: number): BudgetCheck | Promise<BudgetCheck>
  /** Records a prediction this run created and drops the shot's reservation. */
  commit(shot: string, attempt: number, price: number): void | Promise<void>
  /** The service gave the attempt's price back; a no-op for an attempt an earlier run paid for. */
  refund(shot: string, attempt: number): void | Promise<void>
}

export interface BudgetCheck {
  readonly ok: boolean
  readonly projected: number
}

export function createBudget(maxCost: number | undefined, reservations: ReadonlyMap<string, number>): Budget {
  const reserved = new Map(reservations)
  const charged = new Map<string, number>()
  const chargeKey = (shot: string, attempt: number) => `${attempt}\0${shot}`
  const spentOn = (shot: string) => sumUsd([...charged].filter(([key]) => key.endsWith(`\0${shot}`)).map(([, usd]) => usd))
  const spent = () => sumUsd([...charged.values()])
  return {
    get spent() {
      return spent()
    },
    spentOn,
    check(shot, price) {
      const others = sumUsd([...reserved].filter(([id]) => id !== shot).map(([, usd]) => usd))
      const projected = sumUsd([spent(), price, others])
      return { ok: maxCost === undefined || projected <= maxCost, projected }
    },
    commit(shot, attempt, price) {
      reserved.delete(shot)
      charged.set(chargeKey(shot, attempt), price)
    },
    refund(shot, attempt) {
      charged.delete(chargeKey(shot, attempt))
    },
    release(shot) {
      reserved.delete(shot)
    },
  }
}
