import { sumUsd } from './usd.ts'

/**
 * The run's spend against `maxCost`. Every take the estimate plans to submit holds a
 * reservation of its first attempt's price, so a retry may only spend what is left
 * after every planned take has had its first attempt. A prediction the service
 * refunds stops counting.
 */
export interface Budget extends RenderBudget {
  /** USD of predictions this run created, less refunds. */
  readonly spent: number
  /** USD spent on the shot (every take), or on one take of it. */
  spentOn(shot: string, take?: number): number
  check(shot: string, take: number, price: number): BudgetCheck
  commit(shot: string, take: number, attempt: number, price: number): void
  refund(shot: string, take: number, attempt: number): void
  /** The take will submit nothing more (done, failed, skipped): its reservation is freed. */
  release(shot: string, take: number): void
}

/**
 * What taking one take through its predictions asks of the budget. A farm's budget answers from
 * Redis (every worker's spend counts against one `maxCost`), so each call may be asynchronous.
 */
export interface RenderBudget {
  /** USD spent on the shot (every take), or on one take of it, for events. */
  spentOn(shot: string, take?: number): number
  /** What total spend would become if the take submitted a prediction at `price` now; `ok` when within `maxCost`. */
  check(shot: string, take: number, price: number): BudgetCheck | Promise<BudgetCheck>
  /** Records a prediction this run created and drops the take's reservation. */
  commit(shot: string, take: number, attempt: number, price: number): void | Promise<void>
  /** The service gave the attempt's price back; a no-op for an attempt an earlier run paid for. */
  refund(shot: string, take: number, attempt: number): void | Promise<void>
}

export interface BudgetCheck {
  readonly ok: boolean
  readonly projected: number
}

/** `reservations`: USD by `reservationKey(shot, take)`. */
export function createBudget(maxCost: number | undefined, reservations: ReadonlyMap<string, number>): Budget {
  const reserved = new Map(reservations)
  /** USD by shot, then by `take\0attempt` (attempts are numbered per shot). */
  const charged = new Map<string, Map<string, number>>()
  const chargesOf = (shot: string) => {
    let map = charged.get(shot)
    if (!map) charged.set(shot, (map = new Map()))
    return map
  }
  const spentOn = (shot: string, take?: number) =>
    sumUsd(
      [...(charged.get(shot) ?? new Map<string, number>())]
        .filter(([key]) => take === undefined || key.startsWith(`${take}\0`))
        .map(([, usd]) => usd),
    )
  const spent = () => sumUsd([...charged.values()].flatMap((m) => [...m.values()]))
  return {
    get spent() {
      return spent()
    },
    spentOn,
    check(shot, take, price) {
      const own = reservationKey(shot, take)
      const others = sumUsd([...reserved].filter(([key]) => key !== own).map(([, usd]) => usd))
      const projected = sumUsd([spent(), price, others])
      return { ok: maxCost === undefined || projected <= maxCost, projected }
    },
    commit(shot, take, attempt, price) {
      reserved.delete(reservationKey(shot, take))
      chargesOf(shot).set(`${take}\0${attempt}`, price)
    },
    refund(shot, take, attempt) {
      charged.get(shot)?.delete(`${take}\0${attempt}`)
    },
    release(shot, take) {
      reserved.delete(reservationKey(shot, take))
    },
  }
}

export function reservationKey(shot: string, take: number): string {
  return `${shot}\0${take}`
}
