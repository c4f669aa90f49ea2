// Makespan of a 60-shot storyboard (12 chains of 5) against the simulator, compared with
// the lower bound max(longest chain x latency, total work / concurrency).
//
//   pnpm exec tsx packages/scheduler/bench/makespan.ts [--runs 3] [--latency 6000] [--concurrency 10]
//
// Every prediction takes exactly `latency` ms in the simulator, so the bound is exact for
// the run's own settings; the ratio makespan / bound is what to compare across machines.
// A warm-up run first fills the simulator's clip cache, so ffmpeg rendering inside the
// simulator does not compete for CPU with the measured runs.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createClient, createWavespeedProvider } from '@storyreel/wavespeed'
import { startSimulator } from '@storyreel/wavespeed-sim'
import type { SchedulerEvent } from '../src/index.ts'
import { chainsPlan } from '../test/helpers/plan.ts'
import { runPlan } from '../test/helpers/run.ts'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    latency: { type: 'string', default: '6000' },
    concurrency: { type: 'string', default: '10' },
    chains: { type: 'string', default: '12' },
    length: { type: 'string', default: '5' },
  },
})
const runs = Number(values.runs)
const latencyMs = Number(values.latency)
const concurrency = Number(values.concurrency)
const chains = Number(values.chains)
const length = Number(values.length)
const shots = chains * length
const bound = Math.max(
  length * latencyMs,
  Math.ceil(shots / concurrency) * latencyMs,
  (shots * latencyMs) / concurrency,
)

// Same takes: the measured runs must reuse the warm-up's renders, not make new takes.
const sim = await startSimulator({
  latencyMs,
  concurrency: shots,
  videoScale: 0.3,
  balance: 1e6,
  distinctTakes: false,
})
// Polls grow with elapsed time (like the client's default policy) but start small, as a deployment tuned for these latencies would.
const poll = { firstMs: 100, baseMs: 100, growth: 0.01, minMs: 50, maxMs: 2000 }
const provider = createWavespeedProvider(createClient({ apiKey: sim.apiKey, baseUrl: sim.url, poll }), {
  poll,
})
const plan = chainsPlan(chains, length)

/** Where a run's time goes beyond the simulated latency, in mean ms per shot. */
interface Overheads {
  /** submitted → downloading, minus the latency: polling lag plus the simulator's own delay. */
  lag: number
  /** downloading → done: download, hash, journal, cache, and the last frame when a shot chains from it. */
  finish: number
  /** upstream done → submitted: cache-key decision, frame upload, submit. */
  handoff: number
}

async function once(): Promise<{ ms: number; overheads: Overheads }> {
  const dir = await mkdtemp(join(tmpdir(), 'sched-bench-'))
  const at = new Map<string, Partial<Record<SchedulerEvent['type'], number>>>()
  try {
    const started = performance.now()
    const result = await runPlan(plan, {
      provider,
      runDir: join(dir, 'run'),
      cacheDir: join(dir, 'cache'),
      concurrency,
      onEvent: (e) => {
        const times = at.get(e.shot) ?? {}
        times[e.type] ??= performance.now()
        at.set(e.shot, times)
      },
    })
    const elapsed = performance.now() - started
    if (!result.ok) throw new Error(`run failed: ${JSON.stringify(result.failures)}`)
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
    return { ms: elapsed, overheads }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

try {
  const warm = await once()
  console.log(`warm-up: ${(warm.ms / 1000).toFixed(2)} s (fills the simulator's render cache; not counted)`)
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const { ms: t, overheads: o } = await once()
    times.push(t)
    console.log(
      `run ${i + 1}: makespan ${(t / 1000).toFixed(2)} s = ${(t / bound).toFixed(3)} x bound; ` +
        `mean per shot: poll lag ${o.lag.toFixed(0)} ms, download+frame ${o.finish.toFixed(0)} ms, handoff to next shot ${o.handoff.toFixed(0)} ms`,
    )
  }
  const m = median(times)
  console.log(
    `${shots} shots (${chains} chains of ${length}), latency ${latencyMs} ms, concurrency ${concurrency}: ` +
      `bound ${(bound / 1000).toFixed(2)} s, median makespan ${(m / 1000).toFixed(2)} s = ${(m / bound).toFixed(3)} x bound (+${((m / bound - 1) * 100).toFixed(1)}%)`,
  )
} finally {
  await sim.close()
}
