import { needsRedis, startRedis, tempDir, type TestRedis } from '@storyreel/test-utils'
import { startSimulator } from '@storyreel/wavespeed-sim'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest'
import { type AssembleHook, type AssemblyInput, openFarmClient } from '../src/index.ts'
import { readEvents } from '../src/run-events.ts'
import { chainsPlan, simWorker, writeResult } from './helpers/farm.ts'

let redis: TestRedis
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(() => redis?.close())

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const paid = { name: 'wavespeed', paid: true }

// Every test here talks to a Redis it started; a machine without redis-server skips them, saying so.
const withRedis = needsRedis()

describe.skipIf(withRedis.skip)(withRedis.title('cancel on a real redis-server'), () => {
  test('cancel: queued shots dropped, the shot in flight finishes, then the run is finished once as canceled (records, no reel)', async () => {
    const r = new Redis(redis.url)
    onTestFinished(() => r.disconnect())
    await r.flushall()
    const sim = await startSimulator({ latencyMs: 3_000, concurrency: 32, videoScale: 0.3 })
    onTestFinished(() => sim.close())
    const store = await tempDir()
    const client = openFarmClient(redis.url, { store })
    onTestFinished(() => client.close())
    const assembled: AssemblyInput[] = []
    const assemble: AssembleHook = async (input) => {
      assembled.push(input)
      return writeResult(input)
    }
    // One shot at a time: c0s0 renders, c1s0 waits in the queue, c0s1 and c1s1 wait for their upstreams.
    const worker = await simWorker(sim, redis.url, store, { keyConcurrency: 1, concurrency: 1, assemble })
    onTestFinished(() => worker.stop())
    const plan = chainsPlan(2, 2)
    const runId = await client.submit(plan, {
      provider: paid,
      estimate: await client.estimate(plan, { provider: paid }),
    })
    await until(async () => (await client.state(runId)).journal.ledger.length === 1)

    expect(await client.cancel(runId)).toEqual({ dropped: 1, inFlight: 1 })
    await until(async () => (await client.state(runId)).finished !== undefined)
    const state = await client.state(runId)
    expect(state.status).toBe('canceled')
    expect(state.finished).toMatchObject({ manifest: `runs/${runId}/manifest.json` })
    expect(assembled).toHaveLength(1)
    expect(assembled[0]!.canceled).toBe(true)
    expect(assembled[0]!.result.shots.map((s) => [s.shot, s.status])).toEqual([
      ['c0s0', 'done'],
      ['c0s1', 'aborted'],
      ['c1s0', 'aborted'],
      ['c1s1', 'aborted'],
    ])
    // Nothing more was paid for, and followers heard one end: the cancel's.
    expect(sim.stats().createdTotal).toBe(1)
    expect((await readEvents(r, runId)).filter((e) => e.kind === 'end')).toEqual([
      { kind: 'end', status: 'canceled' },
    ])
  }, 90_000)
})
