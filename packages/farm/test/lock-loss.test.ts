import { needsRedis, startRedis, tempDir, type TestRedis } from '@storyreel/test-utils'
import { startSimulator } from '@storyreel/wavespeed-sim'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest'
import { type AssembleHook, openFarmClient } from '../src/index.ts'
import { ASSEMBLY_QUEUE, QUEUE_PREFIX, SHOT_QUEUE } from '../src/keys.ts'
import { readEvents } from '../src/run-events.ts'
import { planOf, simWorker, writeResult } from './helpers/farm.ts'

// A worker loses a job's lock when it cannot renew it in time (its process stalled, Redis was away):
// BullMQ then gives the job to another worker. Here the lock is taken from under the worker in Redis,
// as a takeover leaves it (another token, expiring), so BullMQ's next renewal fails for real.

let redis: TestRedis
let r: Redis
beforeAll(async () => {
  redis = await startRedis()
  r = new Redis(redis.url)
})
afterAll(async () => {
  r?.disconnect()
  await redis?.close()
})

const paid = { name: 'wavespeed', paid: true }
const LOCK_MS = 1_000

/** Takes the job's lock away from its worker, as another worker's takeover would; it expires after `ms`. */
const stealLock = (queue: string, jobId: string, ms: number) =>
  r.set(`${QUEUE_PREFIX}:${queue}:${jobId}:lock`, 'another-worker', 'PX', ms)

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

// Every test here talks to a Redis it started; a machine without redis-server skips them, saying so.
const withRedis = needsRedis()

describe.skipIf(withRedis.skip)(withRedis.title('a lost job lock on a real redis-server'), () => {
  test("a worker that loses a shot job's lock stops its work and settles nothing; the job is taken over on the same prediction", async () => {
    await r.flushall()
    const sim = await startSimulator({ latencyMs: 4_000, concurrency: 32, videoScale: 0.3 })
    onTestFinished(() => sim.close())
    const store = await tempDir()
    const client = openFarmClient(redis.url, { store })
    onTestFinished(() => client.close())
    const worker = await simWorker(sim, redis.url, store, { lockMs: LOCK_MS, concurrency: 1 })
    onTestFinished(() => worker.stop())
    const plan = planOf([{ id: 'only' }])
    const runId = await client.submit(plan, {
      provider: paid,
      estimate: await client.estimate(plan, { provider: paid }),
    })
    await until(async () => (await client.state(runId)).journal.ledger.length === 1)
    const id = (await client.state(runId)).journal.ledger[0]!.predictionId
    await stealLock(SHOT_QUEUE, `${runId}.only`, 1_500)

    await until(() => worker.logs.some((l) => l.state === 'lock-lost'), 10_000)
    expect(worker.logs.find((l) => l.state === 'lock-lost')).toMatchObject({ run: runId, shot: 'only' })
    // It stopped before the prediction finished: nothing settled, nothing handed back over the other's lock.
    expect(worker.logs.filter((l) => l.state === 'done' || l.state === 'handed-back')).toEqual([])
    expect(await r.hlen(`storyreel:run:${runId}:outcomes`)).toBe(0)

    // Once the stolen lock expires the job is stalled, taken again, and re-attached to the same prediction.
    expect((await client.follow(runId, () => {}))?.status).toBe('completed')
    expect(sim.stats().createdTotal).toBe(1)
    expect(worker.logs.filter((l) => l.state === 'done')).toEqual([
      expect.objectContaining({ shot: 'only', predictionId: id }),
    ])
  }, 60_000)

  test("a worker that loses the assembly job's lock while stitching stops it and never announces the end: the run is assembled once", async () => {
    await r.flushall()
    const sim = await startSimulator({ latencyMs: 200, concurrency: 32, videoScale: 0.3 })
    onTestFinished(() => sim.close())
    const store = await tempDir()
    const client = openFarmClient(redis.url, { store })
    onTestFinished(() => client.close())
    let calls = 0
    let finished = 0
    // The first stitch is slow and has its lock taken away; any later one is quick.
    const assemble: AssembleHook = async (input) => {
      calls++
      if (calls === 1) {
        await stealLock(ASSEMBLY_QUEUE, `${input.meta.id}.assemble`, 1_500)
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, 8_000)
          input.signal.addEventListener('abort', () => {
            clearTimeout(timer)
            reject(input.signal.reason as Error)
          })
        })
      }
      const made = await writeResult(input)
      finished++
      return made
    }
    const a = await simWorker(sim, redis.url, store, { lockMs: LOCK_MS, assemble })
    const b = await simWorker(sim, redis.url, store, { lockMs: LOCK_MS, assemble })
    onTestFinished(() => Promise.all([a.stop(), b.stop()]).then(() => undefined))
    const plan = planOf([{ id: 'only' }])
    const runId = await client.submit(plan, {
      provider: paid,
      estimate: await client.estimate(plan, { provider: paid }),
    })
    expect((await client.follow(runId, () => {}))?.status).toBe('completed')
    // Long enough for the first stitch to have ended on its own, had it not been stopped.
    await new Promise((resolve) => setTimeout(resolve, 9_000))
    expect(calls).toBe(2)
    expect(finished).toBe(1)
    expect((await readEvents(r, runId)).filter((e) => e.kind === 'end')).toHaveLength(1)
    expect([...a.logs, ...b.logs].filter((l) => l.state === 'lock-lost')).toEqual([
      expect.objectContaining({ run: runId }),
    ])
    expect([...a.logs, ...b.logs].filter((l) => l.state === 'assembled')).toHaveLength(1)
  }, 60_000)
})
