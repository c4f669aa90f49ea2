// Makespan of a 60-shot storyboard (12 chains of 5) rendered by a farm of 1, 2 and 3 workers
// sharing one key limit, against the lower bound max(longest chain x latency, total work / limit),
// and the Redis commands the farm spends per shot.
//
//   pnpm exec tsx packages/farm/bench/makespan.ts [--latency 20000] [--limit 10] [--workers 1,2,3]
//
// The simulator has no time scaling, so each configuration runs once at the real latency, after a
// warm-up run that fills the simulator's render cache (same requests, same clips). Workers
// run in this process (as `storyreel worker` runs them), each with concurrency = the limit, so
// BullMQ's global concurrency is the only cap. The assembly step writes the result only: the
// reel's ffmpeg work is measured in the assembler's benchmarks.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { extractFrames } from '@storyreel/assembler'
import { createClient, createWavespeedProvider } from '@storyreel/wavespeed'
import { startSimulator } from '@storyreel/wavespeed-sim'
import { Redis } from 'ioredis'
import { chainsPlan } from '../../scheduler/test/helpers/plan.ts'
import { startRedis } from '../../test-utils/src/redis.ts'
import { type FarmWorker, openFarmClient, openFsStore, startWorker } from '../src/index.ts'
import { writeResult } from '../test/helpers/farm.ts'

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '20000' },
    limit: { type: 'string', default: '10' },
    workers: { type: 'string', default: '1,2,3' },
  },
})
const latencyMs = Number(values.latency)
const limit = Number(values.limit)
const chains = 12
const length = 5
const shots = chains * length
const bound = Math.max(length * latencyMs, (shots * latencyMs) / limit)

const redis = await startRedis()
const sim = await startSimulator({
  latencyMs,
  concurrency: shots,
  videoScale: 0.3,
  balance: 1e6,
  distinctTakes: false,
})
const poll = { firstMs: 100, baseMs: 100, growth: 0.01, minMs: 50, maxMs: 500 }
const provider = createWavespeedProvider(createClient({ apiKey: sim.apiKey, baseUrl: sim.url, poll }), {
  poll,
})
const admin = new Redis(redis.url)
const commands = async () => Number(/total_commands_processed:(\d+)/.exec(await admin.info('stats'))![1])

interface Overheads {
  /** submitted -> downloading, less the latency: polling lag. */
  lag: number
  /** downloading -> done: download, verify, journal, cache, frames. */
  finish: number
  /** upstream done -> submitted: settle, enqueue, a worker takes the job, decide, upload, submit. */
  handoff: number
}

async function once(
  workerCount: number,
): Promise<{ ms: number; perShot: number; maxOutstanding: number; overheads: Overheads }> {
  await admin.flushall()
  const store = await mkdtemp(join(tmpdir(), 'farm-bench-'))
  const workers: FarmWorker[] = []
  try {
    for (let i = 0; i < workerCount; i++) {
      workers.push(
        await startWorker({
          redisUrl: redis.url,
          store: openFsStore(store),
          concurrency: limit,
          ...(i === 0 ? { keyConcurrency: limit } : {}),
          provider: async () => provider,
          hooks: { extractFrames },
          assemble: writeResult,
          secrets: [sim.apiKey],
          log: () => {},
        }),
      )
    }
    const client = openFarmClient(redis.url, { store })
    // Redis (and so the clip cache) is flushed and the store is new: every round pays for all 60.
    const plan = chainsPlan(chains, length)
    const p = { name: 'wavespeed', paid: true }
    const estimate = await client.estimate(plan, { provider: p })
    const before = await commands()
    const outstandingBefore = sim.stats().maxOutstanding
    const started = performance.now()
    const runId = await client.submit(plan, { provider: p, estimate })
    const at = new Map<string, Partial<Record<string, number>>>()
    const end = await client.follow(runId, (e) => {
      if (e.kind !== 'shot') return
      const times = at.get(e.event.shot) ?? {}
      times[e.event.type] ??= e.event.at
      at.set(e.event.shot, times)
    })
    const ms = performance.now() - started
    const used = (await commands()) - before
    await client.close()
    if (end?.status !== 'completed') throw new Error(`run ended ${end?.status}`)
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    const t = (id: string) => at.get(id)!
    const overheads = {
      lag: mean(plan.shots.map((s) => t(s.id).downloading! - t(s.id).submitted! - latencyMs)),
      finish: mean(plan.shots.map((s) => t(s.id).done! - t(s.id).downloading!)),
      handoff: mean(
        plan.shots
          .filter((s) => s.dependsOn.length > 0)
          .map((s) => t(s.id).submitted! - t(s.dependsOn[0]!).done!),
      ),
    }
    return {
      ms,
      perShot: used / shots,
      maxOutstanding: Math.max(outstandingBefore, sim.stats().maxOutstanding),
      overheads,
    }
  } finally {
    await Promise.all(workers.map((w) => w.stop()))
    await rm(store, { recursive: true, force: true })
  }
}

try {
  const counts = values.workers.split(',').map(Number)
  const warm = await once(1)
  console.log(
    `warm-up: ${(warm.ms / 1000).toFixed(1)} s (fills the simulator's render cache, so its ffmpeg does not compete with the measured runs; not counted)`,
  )
  for (const n of counts) {
    const r = await once(n)
    console.log(
      `${n} worker(s): makespan ${(r.ms / 1000).toFixed(1)} s = ${(r.ms / bound).toFixed(3)} x bound ${(bound / 1000).toFixed(0)} s; ` +
        `Redis commands per shot ${r.perShot.toFixed(1)}; most predictions outstanding ${r.maxOutstanding} (limit ${limit}); ` +
        `mean per shot: poll lag ${r.overheads.lag.toFixed(0)} ms, download+verify+frames ${r.overheads.finish.toFixed(0)} ms, handoff to next shot ${r.overheads.handoff.toFixed(0)} ms`,
    )
  }
  console.log(`created ${sim.stats().createdTotal} predictions for ${counts.length + 1} x ${shots} shots`)
} finally {
  admin.disconnect()
  await sim.close()
  await redis.close()
}
