import { type RenderBudget, sumUsd } from '@storyreel/scheduler'
import type { Redis } from 'ioredis'
import { keys } from './keys.ts'

const cents = (usd: number) => Math.round(usd * 100)

/** Reserves each planned submission's first attempt, as the local budget does, for every worker to see. */
/** `reservations`: USD by shot and take. */
export async function reserveBudget(
  redis: Redis,
  runId: string,
  reservations: readonly { shot: string; take: number; usd: number }[],
): Promise<void> {
  if (reservations.length === 0) return
  await redis.hset(
    keys.budget(runId),
    Object.fromEntries(reservations.map((r) => [`reserved:${r.shot}:${r.take}`, cents(r.usd)])),
  )
}

/**
 * The run's budget shared by every worker through Redis: what any worker spent counts against
 * the one `maxCost`. A check reads the whole run's spend and the other takes' reservations;
 * `spentOn` is this worker's view of the one shot it holds, for its events.
 */
export function sharedBudget(redis: Redis, runId: string, maxCost: number | undefined): RenderBudget {
  const key = keys.budget(runId)
  /** USD this worker's job charged, by `take:attempt`. */
  const mine = new Map<string, number>()
  return {
    spentOn: (_shot, take) =>
      sumUsd([...mine].filter(([k]) => take === undefined || k.startsWith(`${take}:`)).map(([, usd]) => usd)),
    async check(shot, take, price) {
      const fields = await redis.hgetall(key)
      let total = cents(price)
      for (const [field, value] of Object.entries(fields)) {
        if (
          field.startsWith('charged:') ||
          (field.startsWith('reserved:') && field !== `reserved:${shot}:${take}`)
        )
          total += Number(value)
      }
      const projected = total / 100
      return { ok: maxCost === undefined || projected <= maxCost, projected }
    },
    async commit(shot, take, attempt, price) {
      mine.set(`${take}:${attempt}`, price)
      await redis
        .multi()
        .hdel(key, `reserved:${shot}:${take}`)
        .hset(key, `charged:${attempt}:${shot}`, cents(price))
        .exec()
    },
    async refund(shot, take, attempt) {
      // Another worker may have paid for it before this one re-attached: the charge is the run's either way.
      mine.delete(`${take}:${attempt}`)
      await redis.hdel(key, `charged:${attempt}:${shot}`)
    },
  }
}
