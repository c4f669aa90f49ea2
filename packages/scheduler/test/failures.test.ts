import { execFileSync } from 'node:child_process'
import { mkdir, readFile } from 'node:fs/promises'
import type { Provider } from '@storyreel/core'
import { describe, expect, it } from 'vitest'
import { isSchedulerError } from '../src/errors.ts'
import { estimateRun } from '../src/estimate.ts'
import type { SchedulerEvent } from '../src/events.ts'
import { ledgerSpend } from '../src/journal-replay.ts'
import { planOf } from './helpers/plan.ts'
import { runPlan } from './helpers/run.ts'
import { createdPerShot, simProvider, startSim, tempDir } from './helpers/sim.ts'

const shotOf = (prompt: string) => prompt.split(':')[0]!

/** A provider whose failed predictions stay charged (WaveSpeed refunds them; another service may not). */
function notRefunding(real: Provider): Provider {
  return {
    ...real,
    wait: (id, options) =>
      real
        .wait(id, options)
        .catch((error: unknown) => Promise.reject(Object.assign(error as Error, { refunded: false }))),
  }
}

describe('failures, budget and cancellation', { timeout: 120_000 }, () => {
  it('retries a failed prediction as a new one, skips the dependents of a shot that keeps failing, and finishes the other chains', async () => {
    const dir = await tempDir()
    const sim = await startSim({
      latencyMs: 100,
      faults: {
        failPrediction: ({ params }) => {
          const shot = shotOf(String(params.prompt))
          if (shot === 'a2') return { code: 5000, error: 'Internal error: the render worker crashed.' }
          if (shot === 'm1') return { code: 1200, error: 'Content flagged by moderation.' }
          return undefined
        },
      },
    })
    const plan = planOf([
      { id: 'a1', prompt: 'a1: a castle' },
      { id: 'a2', prompt: 'a2: the gate opens', after: 'a1' },
      { id: 'a3', prompt: 'a3: a knight rides out', after: 'a2' },
      { id: 'b1', prompt: 'b1: a river' },
      { id: 'b2', prompt: 'b2: a boat drifts', after: 'b1' },
      { id: 'm1', prompt: 'm1: something the moderator dislikes' },
      { id: 'm2', prompt: 'm2: after it', after: 'm1' },
    ])
    const events: SchedulerEvent[] = []
    const result = await runPlan(plan, {
      provider: simProvider(sim),
      runDir: `${dir}/run`,
      cacheDir: `${dir}/cache`,
      concurrency: 3,
      retries: 1,
      onEvent: (e) => events.push(e),
    })

    expect(result.ok).toBe(false)
    expect(Object.fromEntries(result.shots.map((s) => [s.shot, s.status]))).toEqual({
      a1: 'done',
      a2: 'failed',
      a3: 'skipped',
      b1: 'done',
      b2: 'done',
      m1: 'failed',
      m2: 'skipped',
    })
    expect(result.shots.find((s) => s.shot === 'a3')).toMatchObject({ reason: 'needs "a2", which failed' })
    // a2: the first prediction and one retry; m1: moderation is final, one prediction.
    expect(createdPerShot(sim, shotOf)).toEqual({ a1: 1, a2: 2, b1: 1, b2: 1, m1: 1 })
    const ids = (shot: string) =>
      sim
        .submissions()
        .filter((s) => s.id && shotOf(String(s.params.prompt)) === shot)
        .map((s) => s.id)
    expect(result.failures.map((f) => [f.shot, f.predictionId, f.attempts])).toEqual([
      ['a2', ids('a2')[1], 2],
      ['m1', ids('m1')[0], 1],
    ])
    expect(result.failures[0]!.message).toContain('the render worker crashed')
    expect(result.failures[1]!.message).toContain('Content flagged by moderation')
    // Both attempts' prices, less what the provider reports refunded (WaveSpeed refunds a failed render).
    expect(result.failures[0]!.cost).toBeCloseTo(ledgerSpend(result.ledger.filter((e) => e.shot === 'a2')), 2)
    expect(
      events.filter((e) => e.type === 'failed').map((e) => [e.shot, e.type === 'failed' && e.willRetry]),
    ).toEqual(
      expect.arrayContaining([
        ['a2', true],
        ['a2', false],
        ['m1', false],
      ]),
    )
    // Every attempt is in the ledger with its price.
    expect(result.ledger.filter((e) => e.shot === 'a2').map((e) => e.price)).toEqual([0.45, 0.45])

    // Re-running: the moderated shot is not paid for again with the same inputs; a2 gets new attempts.
    const before = sim.stats().createdTotal
    const rerun = await runPlan(plan, {
      provider: simProvider(sim),
      runDir: `${dir}/run`,
      cacheDir: `${dir}/cache`,
      concurrency: 3,
      retries: 0,
    })
    expect(rerun.failures.map((f) => f.shot)).toEqual(['a2', 'm1'])
    expect(rerun.failures[1]!.message).toContain('earlier run')
    expect(sim.stats().createdTotal - before).toBe(1)
  })

  it('refuses to start a run whose estimate exceeds maxCost, before submitting anything', async () => {
    const dir = await tempDir()
    const sim = await startSim({ latencyMs: 100 })
    const plan = planOf([
      { id: 'a', prompt: 'a: one' },
      { id: 'b', prompt: 'b: two', after: 'a' },
    ])
    const estimate = await estimateRun(plan, { provider: simProvider(sim), cacheDir: `${dir}/cache` })
    expect(estimate.cost).toBeCloseTo(0.35 + 0.45, 2)
    const run = runPlan(plan, {
      provider: simProvider(sim),
      runDir: `${dir}/run`,
      cacheDir: `${dir}/cache`,
      concurrency: 2,
      maxCost: 0.5,
    })
    await expect(run).rejects.toMatchObject({
      code: 'SCHED_OVER_BUDGET',
      maxCost: 0.5,
      estimate: { cost: 0.8, submissions: 2 },
    })
    expect(sim.stats().createdTotal).toBe(0)
  })

  it('stops retrying when another attempt would push spend over maxCost (with a provider whose failures are not refunded)', async () => {
    const dir = await tempDir()
    const sim = await startSim({
      latencyMs: 100,
      faults: { failPrediction: ({ params }) => shotOf(String(params.prompt)) === 'a' },
    })
    const plan = planOf([
      { id: 'a', prompt: 'a: fails' },
      { id: 'b', prompt: 'b: fine' },
    ])
    const result = await runPlan(plan, {
      provider: notRefunding(simProvider(sim)),
      runDir: `${dir}/run`,
      cacheDir: `${dir}/cache`,
      concurrency: 1,
      retries: 3,
      maxCost: 0.9,
    })
    expect(result.shots.map((s) => s.status)).toEqual(['failed', 'done'])
    expect(result.failures[0]).toMatchObject({ code: 'SCHED_BUDGET_STOP', attempts: 1 })
    expect(result.failures[0]!.message).toMatch(/over maxCost \$0\.90/)
    expect(createdPerShot(sim, shotOf)).toEqual({ a: 1, b: 1 })
    expect(result.spent).toBeCloseTo(0.7, 2)
  })

  it('on abort stops submitting, rejects with SCHED_ABORTED, and the next run re-attaches instead of paying again', async () => {
    const dir = await tempDir()
    const sim = await startSim({ latencyMs: 1500 })
    const plan = planOf([
      { id: 'a', prompt: 'a: one' },
      { id: 'b', prompt: 'b: two', after: 'a' },
      { id: 'c', prompt: 'c: three' },
      { id: 'd', prompt: 'd: four' },
    ])
    const controller = new AbortController()
    const options = {
      provider: simProvider(sim),
      runDir: `${dir}/run`,
      cacheDir: `${dir}/cache`,
      concurrency: 2,
    }
    const run = runPlan(plan, {
      ...options,
      signal: controller.signal,
      onEvent: (e) => e.type === 'submitted' && controller.abort(),
    })
    const error = await run.catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'SCHED_ABORTED' })
    if (!isSchedulerError(error, 'SCHED_ABORTED')) throw error
    expect(error.result!.shots.every((s) => s.status === 'aborted')).toBe(true)
    const createdBeforeRerun = sim.stats().createdTotal
    expect(createdBeforeRerun).toBeGreaterThanOrEqual(1)
    expect(createdBeforeRerun).toBeLessThanOrEqual(2)

    const origins: string[] = []
    const result = await runPlan(plan, {
      ...options,
      onEvent: (e) => e.type === 'submitted' && origins.push(e.origin),
    })
    expect(result.ok).toBe(true)
    expect(sim.stats().createdTotal).toBe(4)
    expect(origins.filter((o) => o === 'reattached')).toHaveLength(createdBeforeRerun)
  })

  it('never submits again after an ambiguous failure when the provider cannot look predictions up, unless forced', async () => {
    const dir = await tempDir()
    const sim = await startSim({ latencyMs: 100 })
    const real = simProvider(sim)
    let lose = true
    // A paid provider without `recover` whose first submission response is lost after the prediction was created.
    const { recover: _recover, ...withoutRecover } = real
    const provider: Provider = {
      ...withoutRecover,
      submit: async (request, options) => {
        const created = await real.submit(request, options)
        if (lose) {
          lose = false
          throw Object.assign(new Error('connection reset after the request was sent'), { ambiguous: true })
        }
        return created
      },
    }
    const plan = planOf([
      { id: 'a', prompt: 'a: lost answer' },
      { id: 'b', prompt: 'b: fine' },
    ])
    const options = { provider, runDir: `${dir}/run`, cacheDir: `${dir}/cache`, concurrency: 1 }
    const first = await runPlan(plan, options)
    expect(first.shots.map((s) => s.status)).toEqual(['failed', 'done'])
    expect(first.failures[0]).toMatchObject({ code: 'SCHED_AMBIGUOUS_SUBMISSION', attempts: 1 })
    expect(first.failures[0]!.message).toContain('cannot look predictions up')

    const again = await runPlan(plan, options)
    expect(again.shots.map((s) => s.status)).toEqual(['failed', 'cached'])
    expect(sim.stats().createdTotal).toBe(2)

    const forced = await runPlan(plan, { ...options, force: true, only: ['a'] })
    expect(forced.shots.map((s) => s.status)).toEqual(['done', 'cached'])
    expect(sim.stats().createdTotal).toBe(3)
  })

  it('tries a shot again on the next run when the API turned its submission away (low balance) without creating anything', async () => {
    const dir = await tempDir()
    const poor = await startSim({ latencyMs: 100, balance: 0.5 })
    const plan = planOf([
      { id: 'a', prompt: 'a: affordable' },
      { id: 'b', prompt: 'b: one too many' },
    ])
    const options = { runDir: `${dir}/run`, cacheDir: `${dir}/cache`, concurrency: 1 }
    const first = await runPlan(plan, { ...options, provider: simProvider(poor) })
    expect(first.shots.map((s) => s.status)).toEqual(['done', 'failed'])
    expect(first.failures[0]!.message).toMatch(/balance/i)
    expect(first.failures[0]!.predictionId).toBeUndefined()

    const topped = await startSim({ latencyMs: 100 })
    const second = await runPlan(plan, { ...options, provider: simProvider(topped) })
    expect(second.shots.map((s) => s.status)).toEqual(['cached', 'done'])
    expect(topped.stats().createdTotal).toBe(1)
  })

  // Mounting needs root (or CAP_SYS_ADMIN): true on the CI machines, which run as root.
  it.skipIf(process.getuid?.() !== 0)(
    'a disk that fills while a clip downloads: the outcome says ENOSPC (the machine, not the shot), nothing is paid again',
    async () => {
      const dir = await tempDir()
      const sim = await startSim({ latencyMs: 100 })
      const runDir = `${dir}/run`
      await mkdir(runDir)
      // Room for the journal, not for a clip.
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', runDir])
      try {
        const result = await runPlan(planOf([{ id: 'a', prompt: 'a: one' }]), {
          provider: simProvider(sim),
          runDir,
          cacheDir: `${dir}/cache`,
          concurrency: 1,
        })
        expect(result.failures[0]).toMatchObject({
          shot: 'a',
          code: 'ENOSPC',
          predictionId: sim.submissions()[0]!.id,
        })
        expect(sim.stats().createdTotal).toBe(1)
        expect(await readFile(`${runDir}/journal.ndjson`, 'utf8')).toContain('"type":"completed"')
      } finally {
        execFileSync('umount', ['-l', runDir])
      }
    },
  )
})
