import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { needsRedis, startRedis, tempDir, type TestRedis } from '@storyreel/test-utils'
import { startSimulator } from '@storyreel/wavespeed-sim'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest'
import { openFarmClient } from '../src/index.ts'
import { chainsPlan, planOf, simWorker } from './helpers/farm.ts'

let redis: TestRedis
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(() => redis?.close())

async function flush() {
  const r = new Redis(redis.url)
  await r.flushall()
  r.disconnect()
}

async function everyKeyAndValue(url: string): Promise<string> {
  const r = new Redis(url)
  const out: string[] = []
  for (const key of await r.keys('*')) {
    out.push(key)
    const type = await r.type(key)
    if (type === 'string') out.push(String(await r.get(key)))
    else if (type === 'list') out.push(...(await r.lrange(key, 0, -1)))
    else if (type === 'hash') out.push(JSON.stringify(await r.hgetall(key)))
    else if (type === 'zset') out.push(...(await r.zrange(key, 0, -1)))
    else if (type === 'set') out.push(...(await r.smembers(key)))
    else if (type === 'stream') out.push(JSON.stringify(await r.xrange(key, '-', '+')))
  }
  r.disconnect()
  return out.join('\n')
}

async function everyFileText(dir: string): Promise<string> {
  const out: string[] = []
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      out.push(entry.name, (await readFile(join(entry.parentPath, entry.name))).toString('latin1'))
  }
  return out.join('\n')
}

// Every test here talks to a Redis it started; a machine without redis-server skips them, saying so.
const withRedis = needsRedis()

describe.skipIf(withRedis.skip)(withRedis.title('a farm of workers on a real redis-server'), () => {
  test('two workers share the key limit, render each shot once, and a second run pays nothing; the key is nowhere in Redis or the store', async () => {
    await flush()
    const sim = await startSimulator({ latencyMs: 300, concurrency: 32, videoScale: 0.3 })
    onTestFinished(() => sim.close())
    const store = await tempDir()
    const a = await simWorker(sim, redis.url, store, { keyConcurrency: 3 })
    const b = await simWorker(sim, redis.url, store)
    onTestFinished(() => Promise.all([a.stop(), b.stop()]).then(() => undefined))
    const client = openFarmClient(redis.url, { store })
    onTestFinished(() => client.close())
    const plan = chainsPlan(4, 2)
    const provider = { name: 'wavespeed', paid: true }

    const estimate = await client.estimate(plan, { provider })
    expect(estimate.submissions).toBe(8)
    const runId = await client.submit(plan, { provider, estimate, maxCost: 100 })
    const end = await client.follow(runId, () => {})
    expect(end?.status).toBe('completed')
    expect(sim.stats().createdTotal).toBe(8)
    expect(sim.stats().maxOutstanding).toBeLessThanOrEqual(3)
    const manifest = JSON.parse(await readFile(join(store, end!.finished!.manifest), 'utf8')) as {
      shots: { status: string }[]
      spent: number
    }
    expect(manifest.shots.map((s) => s.status)).toEqual(Array(8).fill('done'))

    const again = await client.estimate(plan, { provider })
    expect(again.submissions).toBe(0)
    const second = await client.submit(plan, { provider, estimate: again })
    expect((await client.follow(second, () => {}))?.status).toBe('completed')
    expect(sim.stats().createdTotal).toBe(8)

    expect(await everyKeyAndValue(redis.url)).not.toContain(sim.apiKey)
    expect(await everyFileText(store)).not.toContain(sim.apiKey)
    const state = await client.state(runId)
    expect(state.journal.ledger).toHaveLength(8)
  }, 120_000)

  async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const end = Date.now() + timeoutMs
    while (!(await condition())) {
      if (Date.now() > end) throw new Error('condition not met in time')
      await new Promise((r) => setTimeout(r, 25))
    }
  }

  const paid = { name: 'wavespeed', paid: true }

  test('a stopping worker hands its shot back with the prediction id; the next worker waits for that prediction and submits nothing', async () => {
    await flush()
    const sim = await startSimulator({ latencyMs: 3_000, concurrency: 32, videoScale: 0.3 })
    onTestFinished(() => sim.close())
    const store = await tempDir()
    const client = openFarmClient(redis.url, { store })
    onTestFinished(() => client.close())
    const a = await simWorker(sim, redis.url, store, { keyConcurrency: 2 })
    const plan = planOf([{ id: 'only' }])
    const runId = await client.submit(plan, {
      provider: paid,
      estimate: await client.estimate(plan, { provider: paid }),
    })
    await until(async () => (await client.state(runId)).journal.ledger.length === 1)
    const id = (await client.state(runId)).journal.ledger[0]!.predictionId
    await a.stop()
    expect(a.logs.find((l) => l.state === 'handed-back')).toMatchObject({ shot: 'only', predictionId: id })
    const b = await simWorker(sim, redis.url, store)
    onTestFinished(() => b.stop())
    expect((await client.follow(runId, () => {}))?.status).toBe('completed')
    expect(sim.stats().createdTotal).toBe(1)
    expect(b.logs.find((l) => l.state === 'done')).toMatchObject({ shot: 'only', predictionId: id })
  }, 60_000)

  test('Redis going away mid-run: the worker says so in one line, waits, and the run completes without paying twice', async () => {
    await flush()
    const sim = await startSimulator({ latencyMs: 1_500, concurrency: 32, videoScale: 0.3 })
    onTestFinished(() => sim.close())
    const store = await tempDir()
    const client = openFarmClient(redis.url, { store })
    onTestFinished(() => client.close())
    const a = await simWorker(sim, redis.url, store, { keyConcurrency: 4, lockMs: 15_000 })
    onTestFinished(() => a.stop())
    const plan = chainsPlan(2, 2)
    const runId = await client.submit(plan, {
      provider: paid,
      estimate: await client.estimate(plan, { provider: paid }),
    })
    await until(() => sim.stats().createdTotal >= 2)
    await redis.stop(true)
    await new Promise((r) => setTimeout(r, 1_000))
    await redis.start()
    expect((await client.follow(runId, () => {}))?.status).toBe('completed')
    expect(sim.stats().createdTotal).toBe(4)
    expect(a.logs.filter((l) => l.state === 'redis-down')).toHaveLength(1)
    expect(a.logs.filter((l) => l.state === 'redis-up')).toHaveLength(1)
    expect(a.logs.find((l) => l.state === 'redis-down')?.message).toMatch(
      /^Redis at 127\.0\.0\.1:\d+ is not answering .*retrying with backoff/,
    )
  }, 90_000)
})
