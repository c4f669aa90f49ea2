/**
 * Part 3 of polling.ts: polls timed by learned render times (`renderTimePlan` through
 * `createRenderTimeModel`) against the fixed schedules, for render times drawn from
 * realistic distributions (seeded, so every run draws the same times).
 *
 * Virtual clock: 400 predictions of one model in a row, the model learning from each
 * one as it completes; the learned figures are for predictions 21-400 ("after 20")
 * and for the first 10 of a model never seen ("cold"). The fixed schedules replay the
 * same 400 draws. Simulator: the same comparison over real HTTP with time divided by
 * `scale`, each policy waiting for its own prediction at the same moment.
 */
import { startSimulator } from '@storyreel/wavespeed-sim'
import type { PollPlan, PollPolicy } from '../src/index.ts'
import {
  createClient,
  createRenderTimeModel,
  POLL_BOUNDED,
  POLL_ECONOMICAL,
  pollInterval,
  pollSchedule,
} from '../src/index.ts'

const MODEL = 'kwaivgi/kling-v2.5-turbo-pro/text-to-video'
const KEY = `${MODEL} 5s`
const RENDER_MS = 120_000

/** Park-Miller, so every run draws the same render times. */
function prng(seed: number): () => number {
  let state = seed
  return () => (state = (state * 16807) % 2147483647) / 2147483647
}

interface Draw {
  /** When rendering starts (after a wait for a slot at the API), ms after the submission. */
  readonly startMs: number
  readonly doneMs: number
}

function distributions(): [string, () => Draw][] {
  const random = prng(42)
  const gauss = () => Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random())
  const uniform = () => RENDER_MS * (0.85 + 0.3 * random())
  let n = 0
  return [
    ['120 s ± 15% (uniform)', () => ({ startMs: 0, doneMs: uniform() })],
    ['120 s, normal, σ 7.5%', () => ({ startMs: 0, doneMs: RENDER_MS * (1 + 0.075 * gauss()) })],
    [
      '120 s ± 15%, every other one queued behind a render first',
      () => {
        const startMs = n++ % 2 === 1 ? uniform() : 0
        return { startMs, doneMs: startMs + uniform() }
      },
    ],
  ]
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

interface Outcome {
  readonly requests: number
  readonly lagS: number
}

/** Two table cells: requests and lag, medians with p90 in brackets. */
function cells(outcomes: readonly Outcome[], bold = false): string {
  const requests = outcomes.map((o) => o.requests)
  const lags = outcomes.map((o) => o.lagS)
  const b = bold ? '**' : ''
  return `${b}${quantile(requests, 0.5)}${b} [${quantile(requests, 0.9)}] | ${b}${quantile(lags, 0.5).toFixed(1)}${b} [${quantile(lags, 0.9).toFixed(1)}]`
}

function replay(draw: Draw, poll: PollPolicy | PollPlan): Outcome {
  const times = pollSchedule(draw.doneMs, poll, draw.startMs)
  return { requests: times.length, lagS: (times.at(-1)! - draw.doneMs) / 1000 }
}

async function virtualClock(): Promise<string[]> {
  const rows: string[] = []
  for (const [name, next] of distributions()) {
    const draws = Array.from({ length: 400 }, next)
    const model = createRenderTimeModel()
    const learned: Outcome[] = []
    for (const draw of draws) learned.push(replay(draw, await model.plan(KEY)))
    const fixed = (policy: PollPolicy) => cells(draws.map((d) => replay(d, policy)))
    rows.push(
      `| ${name} | ${fixed(POLL_ECONOMICAL)} | ${fixed(POLL_BOUNDED)} | ${cells(learned.slice(20), true)} | ${cells(learned.slice(0, 10))} |`,
    )
  }
  return rows
}

/** A plan on a clock `scale` times faster: the simulator renders in 1/scale of the time. */
function scaled(plan: PollPlan, scale: number, count: { requests: number; answeredAt: number }): PollPlan {
  return {
    firstMs: plan.firstMs / scale,
    maxMs: plan.maxMs / scale,
    observe(answer) {
      count.requests++
      count.answeredAt = Date.now()
      return plan.observe({ ...answer, elapsedMs: answer.elapsedMs * scale }) / scale
    },
  }
}

async function simulator(scale: number): Promise<string[]> {
  const random = prng(7)
  const sim = await startSimulator({
    latency: () => (RENDER_MS * (0.85 + 0.3 * random())) / scale,
    concurrency: 64,
  })
  try {
    const client = createClient({ apiKey: sim.apiKey, baseUrl: sim.url })
    const input = { prompt: 'benchmark', duration: 5 }
    const model = createRenderTimeModel()
    async function one(plan: PollPlan): Promise<Outcome> {
      const count = { requests: 0, answeredAt: 0 }
      const startedAt = Date.now()
      const { id } = await client.submit({ model: MODEL, input })
      const done = await client.waitForResult(id, { poll: scaled(plan, scale, count), startedAt })
      const finishedAt = Date.parse(done.created_at!) + done.executionTime!
      return { requests: count.requests, lagS: ((count.answeredAt - finishedAt) * scale) / 1000 }
    }
    const fixed = (policy: PollPolicy): PollPlan => ({
      firstMs: policy.firstMs,
      maxMs: policy.maxMs,
      observe: (a) => pollInterval(a.elapsedMs, policy),
    })
    // The first render fills the simulator's clip cache (ffmpeg time is not render time) and teaches nothing.
    await one(fixed(POLL_BOUNDED))
    for (let i = 0; i < 10; i++) await one(await model.plan(KEY))
    const results: Record<'economical' | 'bounded' | 'learned', Outcome[]> = {
      economical: [],
      bounded: [],
      learned: [],
    }
    for (let i = 0; i < 20; i++) {
      const [e, b, l] = await Promise.all([
        one(fixed(POLL_ECONOMICAL)),
        one(fixed(POLL_BOUNDED)),
        one(await model.plan(KEY)),
      ])
      results.economical.push(e)
      results.bounded.push(b)
      results.learned.push(l)
    }
    return [
      `| 120 s ± 15% (uniform) | ${cells(results.economical)} | ${cells(results.bounded)} | ${cells(results.learned, true)} | n/a | n/a |`,
    ]
  } finally {
    await sim.close()
  }
}

export async function learnedPollingReport(options: {
  readonly scale: number
  readonly skipSim: boolean
}): Promise<string[]> {
  const header = [
    '| render times | economical requests | lag s | bounded requests | lag s | learned requests | lag s | learned, cold (first 10) requests | lag s |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ]
  const out = [
    '### Learned render times, virtual clock (400 predictions each; medians, p90 in brackets)',
    '',
    ...header,
    ...(await virtualClock()),
  ]
  if (!options.skipSim)
    out.push(
      '',
      `### Learned render times against the simulator, time divided by ${options.scale} (20 predictions per policy, learned after 10; lag in real-scale seconds, includes HTTP round trips × ${options.scale})`,
      '',
      ...header,
      ...(await simulator(options.scale)),
    )
  return out
}
