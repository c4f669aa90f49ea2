// How far past the configured latency does a prediction's processing run when the
// simulator must render a new clip for it, and how much CPU do the renders cost?
// Compared with the same predictions served from the render cache (the baseline,
// measured in the same run, by a second simulator on the same cache directory).
// Run: pnpm exec tsx packages/wavespeed-sim/bench/render-overhead.ts [count] [latencyMs] [concurrency] [videoScale]
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Simulator, startSimulator } from '../src/index.ts'

const count = Number(process.argv[2] ?? 60)
const latencyMs = Number(process.argv[3] ?? 2000)
const concurrency = Number(process.argv[4] ?? count)
const videoScale = Number(process.argv[5] ?? 0.25)
const T2V = 'kwaivgi/kling-v2.5-turbo-pro/text-to-video'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- loosely typed API answers in a bench/test
async function call(sim: Simulator, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${sim.url}/api/v3/${path}`, {
    method,
    headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- loosely typed API answers in a bench/test
  return ((await response.json()) as { data: any }).data
}

/** CPU seconds of this process and of its finished children (ffmpeg), from /proc on Linux. */
function cpuSeconds(): { own: number; children: number } | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')
    // After the command: state is field 3, so utime..cstime (fields 14-17) sit at 11-14; 100 ticks per second on Linux.
    const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number) as [
      number,
      number,
      number,
      number,
    ]
    return { own: (utime + stime) / 100, children: (cutime + cstime) / 100 }
  } catch {
    return undefined
  }
}

/** Submits all predictions at once and returns each one's overshoot: processing time (timings.inference) minus latency, in ms. */
async function pass(sim: Simulator, prompts: string[]): Promise<number[]> {
  const ids = await Promise.all(
    prompts.map(async (prompt) => (await call(sim, 'POST', T2V, { prompt })).id as string),
  )
  return Promise.all(
    ids.map(async (id) => {
      for (;;) {
        const data = await call(sim, 'GET', `predictions/${id}/result`)
        if (data.status === 'completed') return data.timings.inference - latencyMs
        if (data.status !== 'created' && data.status !== 'processing')
          throw new Error(`${id}: ${data.status} ${data.error}`)
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

/** One pass on a new simulator, with its renders and the CPU the process and ffmpeg spent. */
async function measure(cacheDir: string, prompts: string[]): Promise<string> {
  const sim = await startSimulator({ latencyMs, concurrency, cacheDir, videoScale, balance: 1e6 })
  const before = cpuSeconds()
  const started = performance.now()
  try {
    const overshoot = await pass(sim, prompts)
    const wall = (performance.now() - started) / 1000
    const after = cpuSeconds()
    const cpu =
      before && after
        ? `, CPU: simulator+client ${(after.own - before.own).toFixed(1)} s, ffmpeg ${(after.children - before.children).toFixed(1)} s in ${wall.toFixed(0)} s`
        : ''
    return `${summary(overshoot)}; ${sim.stats().renders} renders in ${sim.stats().renderProcesses} ffmpeg processes${cpu}`
  } finally {
    await sim.close()
  }
}

const cacheDir = await mkdtemp(join(tmpdir(), 'sim-bench-'))
try {
  const prompts = Array.from({ length: count }, (_, i) => `bench shot ${i} ${Date.now()}`)
  console.log(
    `${count} t2v predictions submitted at once, latency ${latencyMs} ms, concurrency ${concurrency}, videoScale ${videoScale}`,
  )
  console.log(`fresh renders: ${await measure(cacheDir, prompts)}`)
  // A new simulator numbers takes from 0 again, so every clip now comes from the cache: the cost of the protocol and polling alone.
  console.log(`from the cache (baseline): ${await measure(cacheDir, prompts)}`)
} finally {
  await rm(cacheDir, { recursive: true, force: true })
}
