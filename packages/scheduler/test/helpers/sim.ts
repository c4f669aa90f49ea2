import type { Provider } from '@storyreel/core'
import { SIMULATOR_CLIENT } from '@storyreel/test-utils'
import { createClient, createWavespeedProvider } from '@storyreel/wavespeed'
import type { Simulator, SimulatorOptions } from '@storyreel/wavespeed-sim'
import { startSimulator } from '@storyreel/wavespeed-sim'
import { onTestFinished } from 'vitest'

export { tempDir, testCard } from '@storyreel/test-utils'

/** The real WaveSpeed provider pointed at a simulator. */
export function simProvider(sim: Pick<Simulator, 'url' | 'apiKey'>): Provider {
  return createWavespeedProvider(createClient({ apiKey: sim.apiKey, baseUrl: sim.url, ...SIMULATOR_CLIENT }))
}

/** A simulator that closes when the test ends. Its concurrency is high so the scheduler's limit is what counts; clips are 324 px tall, so a last frame is still a valid (>= 300 px) start image. */
export async function startSim(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator({ latencyMs: 200, concurrency: 32, videoScale: 0.3, ...options })
  onTestFinished(() => sim.close())
  return sim
}

/** Created predictions per shot id, read from the simulator's submissions (prompts carry the shot id). */
export function createdPerShot(
  sim: Simulator,
  shotOfPrompt: (prompt: string) => string,
): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const s of sim.submissions()) {
    if (!s.id) continue
    const shot = shotOfPrompt(String(s.params.prompt))
    counts[shot] = (counts[shot] ?? 0) + 1
  }
  return counts
}
