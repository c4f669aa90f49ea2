import { writeFile } from 'node:fs/promises'
import { extractFrames } from '@storyreel/assembler'
import { SIMULATOR_CLIENT } from '@storyreel/test-utils'
import { createClient, createWavespeedProvider } from '@storyreel/wavespeed'
import type { Simulator } from '@storyreel/wavespeed-sim'
import {
  type AssembleHook,
  type FarmWorker,
  openFsStore,
  startWorker,
  type WorkerLog,
} from '../../src/index.ts'

export { chainsPlan, planOf } from '../../../scheduler/test/helpers/plan.ts'

/** The finishing step of a worker in these tests: the run's result as JSON (the CLI's real one is tested end to end). */
export const writeResult: AssembleHook = async ({ layout, result }) => {
  await writeFile(
    layout.manifest,
    JSON.stringify({
      shots: result.shots.map((s) => ({
        shot: s.shot,
        status: s.status,
        ...('sha256' in s ? { sha256: s.sha256 } : {}),
      })),
      spent: result.spent,
    }),
  )
  await writeFile(layout.report, '')
  return { status: result.ok ? 'completed' : 'failed', manifest: layout.manifest, report: layout.report }
}

/** A worker in this process, as `storyreel worker` starts one, rendering through the simulator with its key. */
export async function simWorker(
  sim: Simulator,
  redisUrl: string,
  storeDir: string,
  options: { concurrency?: number; keyConcurrency?: number; lockMs?: number; assemble?: AssembleHook } = {},
): Promise<FarmWorker & { logs: WorkerLog[] }> {
  const logs: WorkerLog[] = []
  const provider = createWavespeedProvider(
    createClient({ apiKey: sim.apiKey, baseUrl: sim.url, ...SIMULATOR_CLIENT }),
  )
  const worker = await startWorker({
    redisUrl,
    store: openFsStore(storeDir),
    concurrency: options.concurrency ?? 4,
    ...(options.keyConcurrency ? { keyConcurrency: options.keyConcurrency } : {}),
    provider: async () => provider,
    hooks: { extractFrames },
    assemble: options.assemble ?? writeResult,
    secrets: [sim.apiKey],
    log: (line) => logs.push(line),
    lockMs: options.lockMs ?? 2_000,
  })
  return Object.assign(worker, { logs })
}
