import type { Provider } from '@storyreel/core'
import { describe, expect, it } from 'vitest'
import { estimateRun } from '../src/estimate.ts'
import { readJournal } from '../src/journal-summary.ts'
import { planOf } from './helpers/plan.ts'
import { runPlan } from './helpers/run.ts'
import { createdPerShot, simProvider, startSim, tempDir } from './helpers/sim.ts'

const shotOf = (prompt: string) => prompt.split(':')[0]!

/**
 * WaveSpeed gives back the price of a prediction that ends failed, cancelled or timed out (the
 * simulator's `refunded`); the WaveSpeed provider reports it on the error as `refunded`.
 */
describe('what a run spends', { timeout: 120_000 }, () => {
  it('a free provider with maxCost set is never refused: it costs nothing, and a failed shot is still retried', async () => {
    const dir = await tempDir()
    let failures = 0
    const sim = await startSim({
      latencyMs: 100,
      faults: { failPrediction: ({ params }) => shotOf(String(params.prompt)) === 'a' && failures++ === 0 },
    })
    const free: Provider = { ...simProvider(sim), paid: false }
    const plan = planOf([
      { id: 'a', prompt: 'a: one' },
      { id: 'b', prompt: 'b: two', after: 'a' },
    ])
    const options = {
      provider: free,
      runDir: `${dir}/run`,
      cacheDir: `${dir}/cache`,
      concurrency: 2,
      maxCost: 0,
    }

    expect(await estimateRun(plan, options)).toMatchObject({ cost: 0, submissions: 2 })
    const result = await runPlan(plan, options)
    expect(result.ok).toBe(true)
    expect(result).toMatchObject({ spent: 0, estimate: { cost: 0 } })
    expect(createdPerShot(sim, shotOf)).toEqual({ a: 2, b: 1 })
    expect(result.ledger.map((e) => e.price)).toEqual([0, 0, 0])
  })

  it('a failed prediction the service refunded is not spend: the retry fits under maxCost, and the ledger lists it at no cost', async () => {
    const dir = await tempDir()
    let failures = 0
    const sim = await startSim({
      latencyMs: 100,
      faults: {
        failPrediction: () =>
          failures++ === 0 ? { code: 5000, error: 'Internal error: the render worker crashed.' } : undefined,
      },
    })
    const plan = planOf([{ id: 'a', prompt: 'a: a lighthouse' }])
    const runDir = `${dir}/run`
    // One attempt's price: the retry is only possible if the refunded first attempt stops counting.
    const result = await runPlan(plan, {
      provider: simProvider(sim),
      runDir,
      cacheDir: `${dir}/cache`,
      concurrency: 1,
      retries: 1,
      maxCost: 0.35,
    })

    expect(result.failures).toEqual([])
    expect(sim.stats()).toMatchObject({ createdTotal: 2, charged: 0.7, refunded: 0.35 })
    expect(result.spent).toBe(0.35)
    expect(result.shots[0]).toMatchObject({ status: 'done', cost: 0.35, attempts: 2 })
    expect(result.ledger.map((e) => [e.attempt, e.price, e.refunded])).toEqual([
      [1, 0.35, true],
      [2, 0.35, undefined],
    ])
    const summary = await readJournal(runDir)
    expect(summary.spent).toBe(0.35)
    expect(summary.shots[0]).toMatchObject({ state: 'done', spent: 0.35 })
  })
})
