import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { startSimulator } from '@storyreel/wavespeed-sim'
import type { Simulator, SimulatorOptions } from '@storyreel/wavespeed-sim'
import { onTestFinished } from 'vitest'
import { createClient } from '../../src/index.ts'
import type { WaveSpeedClient } from '../../src/index.ts'
import { FAST } from './fake-api.ts'

const run = promisify(execFile)

/** A simulator with short renders, a client on it, both closed when the test ends. */
export async function withSimulator(options: SimulatorOptions = {}): Promise<{ sim: Simulator; client: WaveSpeedClient }> {
  const sim = await startSimulator({ latencyMs: 100, concurrency: 8, webhookRetryBaseMs: 10, ...options })
  onTestFinished(() => sim.close())
  const client = createClient({ apiKey: sim.apiKey, baseUrl: sim.url, ...FAST, submit: { ...FAST.submit, settleMs: 50 } })
  return { sim, client }
}

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'storyreel-ws-test-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** A real PNG made by ffmpeg, big enough for Kling's 300x300 minimum. */
export async function makePng(dir: string, name: string, color: string): Promise<string> {
  const path = join(dir, name)
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=${color}:s=400x320`, '-frames:v', '1', path])
  return path
}
