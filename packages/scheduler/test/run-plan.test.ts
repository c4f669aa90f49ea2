import { existsSync } from 'node:fs'
import type { Provider } from '@storyreel/core'
import { describe, expect, it } from 'vitest'
import type { SchedulerEvent } from '../src/events.ts'
import { sha256File } from '../src/hash.ts'
import { ledgerSpend } from '../src/journal-replay.ts'
import { planOf } from './helpers/plan.ts'
import { runPlan } from './helpers/run.ts'
import { simProvider, startSim, tempDir, testCard } from './helpers/sim.ts'

const shotOf = (prompt: string) => prompt.split(':')[0]!

/** Wraps a real provider to count predictions between submit and the end of their download: what the account sees running. */
function countInFlight(real: Provider): { provider: Provider; peak: () => number } {
  let inFlight = 0
  let peak = 0
  const provider: Provider = {
    ...real,
    submit: async (request, options) => {
      peak = Math.max(peak, ++inFlight)
      return real.submit(request, options).catch(ended)
    },
    wait: async (id, options) => real.wait(id, options).catch(ended),
    download: async (result, dest, options) => {
      try {
        return await real.download(result, dest, options)
      } finally {
        inFlight--
      }
    },
  }
  // A prediction that failed (or was never created) stops counting when its error surfaces.
  function ended(error: unknown): never {
    inFlight--
    throw error
  }
  return { provider, peak: () => peak }
}

describe('runPlan against the simulator', { timeout: 120_000 }, () => {
  it('renders a multi-chain storyboard through injected faults, chaining each shot from the exact last frame', async () => {
    const dir = await tempDir()
    const card = await testCard(dir)
    const sim = await startSim({
      latencyMs: 150,
      faults: {
        seed: 7,
        rate429: 0.1,
        rate5xx: 0.1,
        dropSubmitAfterCreate: 0.2,
        truncateDownload: 0.2,
        failPrediction: { rate: 0.15, code: 5000 },
      },
    })
    const plan = planOf([
      { id: 'a1', prompt: 'a1: harbour at dawn' },
      { id: 'a2', prompt: 'a2: gulls lift off', after: 'a1' },
      { id: 'a3', prompt: 'a3: boats leave', after: 'a2' },
      { id: 'b1', prompt: 'b1: the card comes alive', image: { kind: 'file', path: card } },
      { id: 'b2', prompt: 'b2: and keeps moving', after: 'b1' },
      { id: 'c1', prompt: 'c1: a lone tree' },
    ])
    const events: SchedulerEvent[] = []
    const counted = countInFlight(simProvider(sim))
    const result = await runPlan(plan, {
      provider: counted.provider,
      runDir: `${dir}/run`,
      cacheDir: `${dir}/cache`,
      concurrency: 3,
      retries: 3,
      onEvent: (e) => events.push(e),
    })
    // Three chains and three slots: the limit is reached and never passed.
    expect(counted.peak()).toBe(3)

    expect(result.failures).toEqual([])
    expect(result.shots.map((s) => [s.shot, s.status])).toEqual(plan.shots.map((s) => [s.id, 'done']))
    for (const outcome of result.shots) {
      if (outcome.status !== 'done') continue
      expect(await sha256File(outcome.clip)).toBe(outcome.sha256)
      expect(existsSync(outcome.frames.first) && existsSync(outcome.frames.last)).toBe(true)
    }
    // Each chained shot was submitted with the bytes of its upstream clip's last frame.
    const lastFrameSha = async (id: string) => sha256File(`${dir}/run/frames/${id}.last.png`)
    const sentImage = (shot: string) =>
      sim
        .submissions()
        .filter((s) => s.id && shotOf(String(s.params.prompt)) === shot)
        .at(-1)?.images[0]?.sha256
    expect(sentImage('a2')).toBe(await lastFrameSha('a1'))
    expect(sentImage('a3')).toBe(await lastFrameSha('a2'))
    expect(sentImage('b2')).toBe(await lastFrameSha('b1'))
    expect(sentImage('b1')).toBe(await sha256File(card))
    // Every prediction the simulator created is in the ledger, and the faults really happened.
    const stats = sim.stats()
    expect(result.ledger).toHaveLength(stats.createdTotal)
    expect(result.spent).toBeCloseTo(ledgerSpend(result.ledger), 2)
    expect(stats.faults['fail-prediction'] ?? 0).toBeGreaterThan(0)
    expect(events.filter((e) => e.type === 'retrying')).toHaveLength(stats.faults['fail-prediction'] ?? 0)
    const done = events.filter((e) => e.type === 'done')
    expect(done.map((e) => e.shot).sort()).toEqual(plan.shots.map((s) => s.id).sort())
  })

  it('gives a freed slot to the shot with the longest remaining chain', async () => {
    const dir = await tempDir()
    const sim = await startSim({ latencyMs: 100 })
    // Three single shots listed before a chain of three: storyboard order alone would start the singles first.
    const plan = planOf([
      ...['s1', 's2', 's3'].map((id) => ({ id, prompt: `${id}: single` })),
      { id: 'l1', prompt: 'l1: long chain' },
      { id: 'l2', prompt: 'l2: long chain', after: 'l1' },
      { id: 'l3', prompt: 'l3: long chain', after: 'l2' },
    ])
    const order: string[] = []
    const result = await runPlan(plan, {
      provider: simProvider(sim),
      runDir: `${dir}/run`,
      cacheDir: `${dir}/cache`,
      concurrency: 1,
      onEvent: (e) => e.type === 'submitted' && order.push(e.shot),
    })
    expect(result.ok).toBe(true)
    // l1 (3 shots to go) and then l2 (2 to go) beat the singles (1 to go); l3 ties with them
    // and storyboard order breaks the tie.
    expect(order).toEqual(['l1', 'l2', 's1', 's2', 's3', 'l3'])
  })

  it('halves its concurrency when the service answers 429, and still renders every shot once', async () => {
    const dir = await tempDir()
    const sim = await startSim({ latencyMs: 300, faults: { seed: 3, rate429: { submit: 0.4 } } })
    const plan = planOf(Array.from({ length: 8 }, (_, i) => ({ id: `s${i}`, prompt: `s${i}: single` })))
    const real = simProvider(sim)
    let inFlight = 0
    let rateLimited = false
    // s0..s3 fill the four slots at once (equal priority, storyboard order); s4..s7 start only as slots free.
    const laterStarts: { inFlight: number; afterCut: boolean }[] = []
    const provider: Provider = {
      ...real,
      submit: async (request, options) => {
        inFlight++
        if (Number(request.shotId.slice(1)) >= 4) laterStarts.push({ inFlight, afterCut: rateLimited })
        return real.submit(request, {
          ...options,
          onRateLimit: (ms) => {
            rateLimited = true
            options?.onRateLimit?.(ms)
          },
        })
      },
      download: async (result, dest, options) =>
        real.download(result, dest, options).finally(() => inFlight--),
    }
    const result = await runPlan(plan, {
      provider,
      runDir: `${dir}/run`,
      cacheDir: `${dir}/cache`,
      concurrency: 4,
      rateLimitQuietMs: 60_000,
    })
    expect(result.ok).toBe(true)
    expect(sim.stats().rateLimited).toBeGreaterThan(0)
    expect(sim.stats().createdTotal).toBe(8)
    // The first batch met a 429, so the limit was 2 for the rest: each later shot started with at most one other in flight.
    expect(laterStarts.map((s) => s.afterCut)).toEqual([true, true, true, true])
    expect(Math.max(...laterStarts.map((s) => s.inFlight))).toBeLessThanOrEqual(2)
  })
})
