import { join } from 'node:path'
import { makeImage } from '@storyreel/test-utils'
import type { Simulator, SimulatorOptions } from '@storyreel/wavespeed-sim'
import { startSimulator } from '@storyreel/wavespeed-sim'
import { onTestFinished } from 'vitest'
import type { WaveSpeedClient } from '../../src/index.ts'
import { createClient } from '../../src/index.ts'
import { FAST } from './fake-api.ts'

/** A simulator with short renders, a client on it, both closed when the test ends. */
export async function withSimulator(
  options: SimulatorOptions = {},
): Promise<{ sim: Simulator; client: WaveSpeedClient }> {
  const sim = await startSimulator({ latencyMs: 100, concurrency: 8, webhookRetryBaseMs: 10, ...options })
  onTestFinished(() => sim.close())
  const client = createClient({
    apiKey: sim.apiKey,
    baseUrl: sim.url,
    ...FAST,
    submit: { ...FAST.submit, settleMs: 50 },
  })
  return { sim, client }
}

export { tempDir } from '@storyreel/test-utils'

/** A real PNG made by ffmpeg, big enough for Kling's 300x300 minimum. */
export function makePng(dir: string, name: string, color: string): Promise<string> {
  return makeImage(join(dir, name), { width: 400, height: 320, source: `color=c=${color}` })
}
