import { sumUsd, type Budget } from '@storyreel/scheduler'
import type { Redis } from 'ioredis'
import { keys } from './keys.ts'

const cents = (usd: number) => Math.round(usd * 100)

/** Reserves each planned submission's first attempt, as the local budget does, for every worker to see. */
export async function reserveBudget(redis: Redis, runId: string, reservations: ReadonlyMap<string, number>): Promise<void> {
  if (reservations.size === 0) return
  await redis.hset(keys.budget(runId), Object.fromEntries([...reservations].map(([shot, usd]) => [`reserved:${shot}`, cents(usd)])))
}

/**
 * The run's budget shared by every worker through Redis: what any worker spent counts against
 * the one `maxCost`. A check reads the whole run's spend and the other shots' reservations;
 * `spentOn` and `spent` are this worker's view of the one shot it holds, for its events.
 */
export function sharedBudget(redis: Redis, runId: string, maxCost: number | undefined): Budget {
  const key = keys.budget(runId)
  const mine = new Map<number, number>()
  const spentHere = () => sumUsd([...mine.values()])
  return {
    get spent() {
      return spentHere()
    },
    spentOn: () => spentHere(),
    async check(shot, price) {
      const fields = await redis.hgetall(key)
      let total = cents(price)
      for (const [field, value] of Object.entries(fields)) {
        if (field.startsWith('charged:') || (field.startsWith('reserved:') && field !== `reserved:${shot}`)) total += Number(value)
      }
      const projected = total / 100
      return { ok: maxCost === undefined || projected <= maxCost, projected }
    },
    async commit(shot, attempt, price) {
      mine.set(attempt, price)
      await redis.multi().hdel(key, `reserved:${shot}`).hset(key, `charged:${attempt}:${shot}`, cents(price)).exec()
    },
    async refund(shot, attempt) {
      // Another worker may have paid for it before this one re-attached: the charge is the run's either way.
      mine.delete(attempt)
      await redis.hdel(key, `charged:${attempt}:${shot}`)
    },
    release(shot) {
      void redis.hdel(key, `reserved:${shot}`)
    },
  }
}
