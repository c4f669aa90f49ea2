import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { SIMULATOR_CLIENT } from '@storyreel/test-utils'
import { createClient, createWavespeedProvider } from '@storyreel/wavespeed'
import { describe, expect, it } from 'vitest'
import { estimateRun } from '../src/estimate.ts'
import type { SchedulerEvent } from '../src/events.ts'
import { openFileRunStore } from '../src/file-run-store.ts'
import { planOf } from './helpers/plan.ts'
import { runPlan } from './helpers/run.ts'
import { simProvider, startSim, tempDir } from './helpers/sim.ts'

/**
 * The result endpoint failing is not the prediction failing: it keeps rendering (and is billed)
 * whether we can read its status or not, so no outage may lead to a second prediction.
 */
describe('a result endpoint that keeps failing', { timeout: 60_000 }, () => {
  it('is polled through, with backoff, for longer than the client retries one poll; the run and a re-run create exactly one prediction', async () => {
    const dir = await tempDir()
    const sim = await startSim({ latencyMs: 300 })
    const plan = planOf([{ id: 'a', prompt: 'a: a lighthouse' }])
    const options = {
      provider: simProvider(sim),
      runDir: join(dir, 'run'),
      cacheDir: join(dir, 'cache'),
      concurrency: 1,
    }
    sim.setFaults({ rate5xx: { result: 1 } })
    // Far longer than 5 polls with their 6 fast retries each (well under a second each).
    const outage = setTimeout(() => sim.setFaults({}), 4_000)
    const result = await runPlan(plan, options).finally(() => clearTimeout(outage))

    expect(result.ok).toBe(true)
    expect(sim.stats().createdTotal).toBe(1)
    expect(sim.stats().faults['5xx']).toBeGreaterThan(30)
    const again = await runPlan(plan, options)
    expect(again.shots[0]).toMatchObject({ status: 'cached' })
    expect(sim.stats().createdTotal).toBe(1)
  })

  it('gives up only after its patience runs out, without submitting again; the next run re-attaches to the same prediction', async () => {
    const dir = await tempDir()
    const sim = await startSim({ latencyMs: 300 })
    const patient = createWavespeedProvider(
      createClient({ apiKey: sim.apiKey, baseUrl: sim.url, ...SIMULATOR_CLIENT }),
      { maxUnreadableMs: 1_500 },
    )
    const plan = planOf([{ id: 'a', prompt: 'a: a lighthouse' }])
    const options = { runDir: join(dir, 'run'), cacheDir: join(dir, 'cache'), concurrency: 1, retries: 3 }
    sim.setFaults({ rate5xx: { result: 1 } })
    const result = await runPlan(plan, { ...options, provider: patient })

    expect(result.ok).toBe(false)
    const id = sim.submissions().find((s) => s.id)!.id
    expect(result.failures[0]).toMatchObject({ shot: 'a', predictionId: id, code: 'WS_STATUS_UNKNOWN' })
    expect(result.failures[0]!.message).toMatch(/run .*again/i)
    expect(sim.stats().createdTotal).toBe(1)

    sim.setFaults({})
    const estimate = await estimateRun(plan, { ...options, provider: patient })
    expect(estimate).toMatchObject({ submissions: 0, cost: 0 })
    expect(estimate.shots[0]!.action).toBe('reattach')
    const events: SchedulerEvent[] = []
    const rerun = await runPlan(plan, { ...options, provider: patient, onEvent: (e) => events.push(e) })
    expect(rerun.ok).toBe(true)
    expect(events.find((e) => e.type === 'submitted')).toMatchObject({
      predictionId: id,
      origin: 'reattached',
      cost: 0,
    })
    expect(sim.stats().createdTotal).toBe(1)
  })

  it('re-attaches, rather than pays again, for a polling failure an older version journaled as a failed attempt', async () => {
    const dir = await tempDir()
    const sim = await startSim({ latencyMs: 200 })
    const provider = simProvider(sim)
    const plan = planOf([{ id: 'a', prompt: 'a: a lighthouse' }])
    const runDir = join(dir, 'run')
    // Create the prediction, then write the journal the pre-fix scheduler left after giving up on polls.
    const first = await runPlan(plan, {
      provider,
      runDir: join(dir, 'scratch'),
      cacheDir: join(dir, 'scratch-cache'),
      concurrency: 1,
    })
    const records = await openFileRunStore(join(dir, 'scratch')).readJournal()
    const kept = records.filter((r) => r.type === 'run' || r.type === 'intent' || r.type === 'submitted')
    const id = first.ledger[0]!.predictionId
    const failed = {
      type: 'failed',
      at: Date.now(),
      shot: 'a',
      attempt: 1,
      id,
      message: `While waiting for prediction ${id}: WaveSpeed answered HTTP 503 to GET /api/v3/predictions/${id}/result. The service failed; retry later.`,
      code: 'WS_SERVER',
      retryable: true,
    }
    await mkdir(runDir, { recursive: true })
    await writeFile(
      join(runDir, 'journal.ndjson'),
      [...kept, failed].map((r) => JSON.stringify(r)).join('\n') + '\n',
    )

    const rerun = await runPlan(plan, { provider, runDir, cacheDir: join(dir, 'cache'), concurrency: 1 })
    expect(rerun.ok).toBe(true)
    expect(rerun.shots[0]).toMatchObject({ status: 'done', predictionId: id, cost: 0 })
    expect(sim.stats().createdTotal).toBe(1)
  })
})
