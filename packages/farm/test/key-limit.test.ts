import { needsRedis, startRedis, type TestRedis } from '@storyreel/test-utils'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { keyLimit } from '../src/index.ts'
import { keys } from '../src/keys.ts'
import { reserveBudget, sharedBudget } from '../src/shared-budget.ts'

let server: TestRedis
let redis: Redis
const others: Redis[] = []
const another = () => {
  const r = new Redis(server.url)
  others.push(r)
  return r
}
beforeAll(async () => {
  server = await startRedis()
  redis = new Redis(server.url)
})
afterAll(async () => {
  redis?.disconnect()
  for (const r of others) r.disconnect()
  await server?.close()
})
beforeEach(() => redis.flushall().then(() => undefined))

const globalConcurrency = async () => Number(await redis.hget(keys.shotQueueMeta, 'concurrency'))

// Every test here talks to a Redis it started; a machine without redis-server skips them, saying so.
const withRedis = needsRedis()

describe.skipIf(withRedis.skip)(withRedis.title('shared limits on a real redis-server'), () => {
  test("a 429 on any worker halves the limit for all (BullMQ's global concurrency), once per back-off window; quiet time gives slots back", async () => {
    const a = keyLimit(redis, 200)
    const b = keyLimit(another(), 200)
    await a.configure(8)
    expect(await globalConcurrency()).toBe(8)
    expect(await b.rateLimited(1000)).toBe(4)
    // Another worker hitting the same 429 window does not cut again.
    expect(await a.rateLimited(1000)).toBe(4)
    expect(await globalConcurrency()).toBe(4)
    expect(await a.recover()).toBe(4)
    await new Promise((r) => setTimeout(r, 1300))
    expect(await b.recover()).toBe(5)
    expect(await a.recover()).toBe(5)
    expect(await globalConcurrency()).toBe(5)
  })

  test('a worker starting without a limit keeps the one another set', async () => {
    await keyLimit(redis).configure(3)
    await keyLimit(redis).ensure(4)
    expect(await keyLimit(redis).current()).toEqual({ max: 3, limit: 3 })
    expect(await globalConcurrency()).toBe(3)
  })

  test('--max-cost holds across workers: each sees what the others spent and reserved', async () => {
    await reserveBudget(redis, 'r1', [
      { shot: 'a', take: 1, usd: 1 },
      { shot: 'b', take: 1, usd: 1 },
    ])
    const one = sharedBudget(redis, 'r1', 2.5)
    const two = sharedBudget(another(), 'r1', 2.5)
    expect(await one.check('a', 1, 1)).toEqual({ ok: true, projected: 2 })
    await one.commit('a', 1, 1, 1)
    await two.commit('b', 1, 1, 1)
    // A retry of a on worker two: 2 spent + 1 > 2.5.
    expect(await two.check('a', 1, 1)).toEqual({ ok: false, projected: 3 })
    await one.refund('a', 1, 1)
    expect(await two.check('a', 1, 1)).toEqual({ ok: true, projected: 2 })
  })
})
