// How far past the configured latency does a prediction's processing run when the
// simulator must render a new clip for it? Compared with the same predictions
// served from the render cache (the baseline, measured in the same run).
// Run: pnpm exec tsx packages/wavespeed-sim/bench/render-overhead.ts [count] [latencyMs] [concurrency] [videoScale]
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSimulator, type Simulator } from '../src/index.ts'

const count = Number(process.argv[2] ?? 60)
const latencyMs = Number(process.argv[3] ?? 2000)
const concurrency = Number(process.argv[4] ?? count)
const videoScale = Number(process.argv[5] ?? 0.25)
const T2V = 'kwaivgi/kling-v2.5-turbo-pro/text-to-video'

async function call(sim: Simulator, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${sim.url}/api/v3/${path}`, {
    method,
    headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return ((await response.json()) as { data: any }).data
}

/** Submits all predictions at once and returns each one's overshoot: processing time (timings.inference) minus latency, in ms. */
async function pass(sim: Simulator, prompts: string[]): Promise<number[]> {
  const ids = await Promise.all(prompts.map(async (prompt) => (await call(sim, 'POST', T2V, { prompt })).id as string))
  return Promise.all(
    ids.map(async (id) => {
      for (;;) {
        const data = await call(sim, 'GET', `predictions/${id}/result`)
        if (data.status === 'completed') return data.timings.inference - latencyMs
        if (data.status !== 'created' && data.status !== 'processing') throw new Error(`${id}: ${data.status} ${data.error}`)
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    }),
  )
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  const ratio = (overshoot: number) => ((latencyMs + overshoot) / latencyMs).toFixed(2)
  return `median ${at(0.5)} ms (processing ${ratio(at(0.5))}x latency), p90 ${at(0.9)} ms, max ${sorted.at(-1)} ms (${ratio(sorted.at(-1)!)}x)`
}

const cacheDir = await mkdtemp(join(tmpdir(), 'sim-bench-'))
const sim = await startSimulator({ latencyMs, concurrency, cacheDir, videoScale })
try {
  const prompts = Array.from({ length: count }, (_, i) => `bench shot ${i} ${Date.now()}`)
  const fresh = await pass(sim, prompts)
  // Same prompts again: every clip comes from the cache, so this is the baseline cost of the protocol and polling alone.
  const cached = await pass(sim, prompts)
  console.log(`${count} t2v predictions submitted at once, latency ${latencyMs} ms, concurrency ${concurrency}, videoScale ${videoScale}, renders ${sim.stats().renders} in ${sim.stats().renderProcesses} ffmpeg processes`)
  console.log(`overshoot with fresh renders: ${summary(fresh)}`)
  console.log(`overshoot from cache (baseline): ${summary(cached)}`)
} finally {
  await sim.close()
  await rm(cacheDir, { recursive: true, force: true })
}
