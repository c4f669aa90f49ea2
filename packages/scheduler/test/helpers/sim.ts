import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import type { Provider } from '@storyreel/core'
import { createClient, createWavespeedProvider } from '@storyreel/wavespeed'
import { startSimulator } from '@storyreel/wavespeed-sim'
import type { Simulator, SimulatorOptions } from '@storyreel/wavespeed-sim'
import { runFfmpeg } from '@storyreel/assembler'

/** Polling, retries and settling scaled down to the simulator's sub-second renders. */
export const FAST_CLIENT = {
  retry: { retries: 6, baseMs: 20, capMs: 200 },
  submit: { settleMs: 100, skewMs: 2_000 },
  poll: { firstMs: 50, baseMs: 50, growth: 0, minMs: 25, maxMs: 200 },
} as const

/** The real WaveSpeed provider pointed at a simulator. */
export function simProvider(sim: Pick<Simulator, 'url' | 'apiKey'>): Provider {
  return createWavespeedProvider(createClient({ apiKey: sim.apiKey, baseUrl: sim.url, retry: FAST_CLIENT.retry, submit: FAST_CLIENT.submit, poll: FAST_CLIENT.poll }))
}

/** A simulator that closes when the test ends. Its concurrency is high so the scheduler's limit is what counts; clips are 324 px tall, so a last frame is still a valid (>= 300 px) start image. */
export async function startSim(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator({ latencyMs: 200, concurrency: 32, videoScale: 0.3, ...options })
  onTestFinished(() => sim.close())
  return sim
}

/** A fresh temp directory removed when the test ends. */
export async function tempDir(prefix = 'sched-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** A 480x320 PNG test card, made with ffmpeg (the simulator refuses images under 300 px). */
export async function testCard(dir: string, name = 'card.png', colour = 'teal'): Promise<string> {
  const file = join(dir, name)
  await runFfmpeg(['-y', '-f', 'lavfi', '-i', `color=c=${colour}:s=480x320:d=1`, '-frames:v', '1', file])
  return file
}

/** Created predictions per shot id, read from the simulator's submissions (prompts carry the shot id). */
export function createdPerShot(sim: Simulator, shotOfPrompt: (prompt: string) => string): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const s of sim.submissions()) {
    if (!s.id) continue
    const shot = shotOfPrompt(String(s.params.prompt))
    counts[shot] = (counts[shot] ?? 0) + 1
  }
  return counts
}
