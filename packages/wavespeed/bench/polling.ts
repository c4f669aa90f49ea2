/**
 * Result requests per prediction: storyreel's adaptive polling against the
 * official SDK's fixed 1 s polling, at several render latencies; then polls timed
 * by learned render times against the fixed schedules.
 *
 *   pnpm exec tsx packages/wavespeed/bench/polling.ts [--scale 50] [--skip-sim]
 *
 * Part 1 replays the schedules on a virtual clock, for 401 render times spread
 * ±10% around each nominal latency (medians and p95 reported). Part 2 checks the
 * model against real HTTP: the storyreel client and the official `wavespeed` SDK
 * each run one prediction per latency against the simulator with time divided by
 * `--scale`, and the simulator counts the result requests.
 * Part 3 (learned-polling.ts) compares `renderTimePlan` with the fixed schedules for
 * render times drawn from realistic distributions, on the virtual clock and against
 * the simulator.
 */
import { startSimulator } from '@storyreel/wavespeed-sim'
import { Client } from 'wavespeed'
import type { PollPolicy } from '../src/index.ts'
import { createClient, POLL_BOUNDED, POLL_ECONOMICAL, pollSchedule } from '../src/index.ts'
import { learnedPollingReport } from './learned-polling.ts'

const LATENCIES_S = [10, 30, 60, 120, 300]
const SAMPLES = 401
const MODEL = 'kwaivgi/kling-v2.5-turbo-pro/text-to-video'

const args = process.argv.slice(2)
const scale = Number(args[args.indexOf('--scale') + 1] ?? 50) || 50
const skipSim = args.includes('--skip-sim')

/** The SDK polls right after submitting, then sleeps 1 s after each answer. */
function sdkSchedule(doneMs: number): number[] {
  const times: number[] = []
  for (let t = 0; ; t += 1000) {
    times.push(t)
    if (t >= doneMs) return times
  }
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

interface Row {
  requests: number
  lagMedianS: number
  lagP95S: number
}

function replay(schedule: (doneMs: number) => number[], latencyS: number): Row {
  const requests: number[] = []
  const lags: number[] = []
  for (let i = 0; i < SAMPLES; i++) {
    const done = latencyS * 1000 * (0.9 + (0.2 * i) / (SAMPLES - 1))
    const times = schedule(done)
    requests.push(times.length)
    lags.push((times.at(-1)! - done) / 1000)
  }
  return { requests: quantile(requests, 0.5), lagMedianS: quantile(lags, 0.5), lagP95S: quantile(lags, 0.95) }
}

function fmt(n: number, digits = 1): string {
  return n.toFixed(digits)
}

const policies: [string, (d: number) => number[]][] = [
  ['sdk (fixed 1 s)', sdkSchedule],
  ['storyreel economical (default)', (d) => pollSchedule(d, POLL_ECONOMICAL)],
  ['storyreel bounded', (d) => pollSchedule(d, POLL_BOUNDED)],
]

const out: string[] = []
out.push('### Virtual clock (401 render times within ±10% of each latency; medians, lag p95 in brackets)', '')
out.push(
  '| render time | SDK requests | economical requests | ratio | bounded requests | ratio | SDK lag s | economical lag s | bounded lag s | target lag 2 s + 10% |',
)
out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
for (const latency of LATENCIES_S) {
  const [sdk, eco, bounded] = policies.map(([, schedule]) => replay(schedule, latency)) as [Row, Row, Row]
  out.push(
    `| ${latency} s | ${sdk.requests} | ${eco.requests} | ${fmt(eco.requests / sdk.requests, 2)} | ${bounded.requests} | ${fmt(bounded.requests / sdk.requests, 2)} | ${fmt(sdk.lagMedianS)} [${fmt(sdk.lagP95S)}] | ${fmt(eco.lagMedianS)} [${fmt(eco.lagP95S)}] | ${fmt(bounded.lagMedianS)} [${fmt(bounded.lagP95S)}] | ${fmt(2 + 0.1 * latency)} |`,
  )
}

function scaled(policy: PollPolicy): PollPolicy {
  return {
    firstMs: policy.firstMs / scale,
    baseMs: policy.baseMs / scale,
    growth: policy.growth,
    minMs: policy.minMs / scale,
    maxMs: policy.maxMs / scale,
  }
}

async function measure(
  latencyS: number,
  poll: (client: ReturnType<typeof createClient>, key: string, url: string) => Promise<unknown>,
): Promise<{ requests: number; lagS: number }> {
  // Same takes: the measured request must be the warmed-up one, not a new take with a new render.
  const sim = await startSimulator({
    latencyMs: (latencyS * 1000) / scale,
    concurrency: 64,
    distinctTakes: false,
  })
  try {
    const client = createClient({ apiKey: sim.apiKey, baseUrl: sim.url })
    // Warm the simulator's clip cache so ffmpeg time does not add to the render time.
    await client.run(
      { model: MODEL, input: { prompt: 'benchmark', duration: 5 } },
      { poll: scaled(POLL_BOUNDED) },
    )
    const before = sim.stats().requests.result ?? 0
    const started = performance.now()
    await poll(client, sim.apiKey, sim.url)
    const lagMs = performance.now() - started - (latencyS * 1000) / scale
    return { requests: (sim.stats().requests.result ?? 0) - before, lagS: (lagMs * scale) / 1000 }
  } finally {
    await sim.close()
  }
}

if (!skipSim) {
  const input = { prompt: 'benchmark', duration: 5 }
  out.push(
    '',
    `### Against the simulator, time divided by ${scale} (one prediction each; lag in real-scale seconds, includes HTTP round trips × ${scale})`,
    '',
  )
  out.push(
    '| render time | SDK 0.3.2 requests | economical requests | ratio | bounded requests | ratio | SDK lag s | economical lag s | bounded lag s |',
  )
  out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
  for (const latency of LATENCIES_S) {
    const sdk = await measure(latency, (_c, key, url) =>
      new Client(key, { baseUrl: url }).run(MODEL, input, { pollInterval: 1 / scale }),
    )
    const eco = await measure(latency, (c) =>
      c.run({ model: MODEL, input }, { poll: scaled(POLL_ECONOMICAL) }),
    )
    const bounded = await measure(latency, (c) =>
      c.run({ model: MODEL, input }, { poll: scaled(POLL_BOUNDED) }),
    )
    out.push(
      `| ${latency} s | ${sdk.requests} | ${eco.requests} | ${fmt(eco.requests / sdk.requests, 2)} | ${bounded.requests} | ${fmt(bounded.requests / sdk.requests, 2)} | ${fmt(sdk.lagS)} | ${fmt(eco.lagS)} | ${fmt(bounded.lagS)} |`,
    )
  }
}

out.push('', ...(await learnedPollingReport({ scale, skipSim })))

process.stdout.write(`${out.join('\n')}\n`)
