import type { Simulator } from '@storyreel/wavespeed-sim'
import { describe, expect, it } from 'vitest'
import { estimateRun } from '../src/estimate.ts'
import type { SchedulerEvent } from '../src/events.ts'
import { chainsPlan } from './helpers/plan.ts'
import { runPlan } from './helpers/run.ts'
import { simProvider, startSim, tempDir } from './helpers/sim.ts'

const shotOfPrompt = (prompt: string) => {
  const [, c, s] = /^chain (\d+) shot (\d+)/.exec(prompt) ?? []
  return `c${c}s${s}`
}
/** Shots the simulator created predictions for since submission number `from`. */
const submittedSince = (sim: Simulator, from: number) =>
  sim
    .submissions()
    .slice(from)
    .filter((s) => s.id)
    .map((s) => shotOfPrompt(String(s.params.prompt)))
    .sort()

describe('cache and incremental re-renders', { timeout: 120_000 }, () => {
  it('after editing prompts, re-renders exactly the edited shots and the chains that start from them', async () => {
    const dir = await tempDir()
    const sim = await startSim({ latencyMs: 100 })
    const provider = simProvider(sim)
    const cacheDir = `${dir}/cache`
    const original = chainsPlan(2, 3)
    const first = await runPlan(original, { provider, runDir: `${dir}/run1`, cacheDir, concurrency: 4 })
    expect(first.ok).toBe(true)
    const before = sim.submissions().length

    // Same storyboard, same run directory: nothing is submitted, every clip is reused.
    const again = await runPlan(original, { provider, runDir: `${dir}/run1`, cacheDir, concurrency: 4 })
    expect(again.shots.map((s) => s.status)).toEqual(Array(6).fill('cached'))
    expect(sim.submissions().length).toBe(before)

    // Edit chain 1's head (text-to-video) and chain 0's middle shot (image-to-video): each
    // clip changes, so the shots chained after them start from a new last frame and follow.
    const edited = chainsPlan(2, 3, (c, s) =>
      c === 1 && s === 0
        ? 'chain 1 shot 0, now at night'
        : c === 0 && s === 1
          ? 'chain 0 shot 1, faster'
          : `chain ${c} shot ${s}, slow dolly`,
    )
    const estimate = await estimateRun(edited, { provider, cacheDir, runDir: `${dir}/run2` })
    // Before rendering, c0s2's key is unknown (it hangs on c0s1's new clip): the estimate counts it, as an upper bound.
    expect(estimate.shots.filter((s) => s.action === 'submit').map((s) => s.shot)).toEqual([
      'c0s1',
      'c0s2',
      'c1s0',
      'c1s1',
      'c1s2',
    ])
    expect(estimate.cost).toBeCloseTo(0.45 + 0.45 + 0.35 + 0.45 + 0.45, 2)

    const events: SchedulerEvent[] = []
    const second = await runPlan(edited, {
      provider,
      runDir: `${dir}/run2`,
      cacheDir,
      concurrency: 4,
      onEvent: (e) => events.push(e),
    })
    expect(second.ok).toBe(true)
    expect(submittedSince(sim, before)).toEqual(['c0s1', 'c0s2', 'c1s0', 'c1s1', 'c1s2'])
    expect(
      events
        .filter((e) => e.type === 'cached')
        .map((e) => e.shot)
        .sort(),
    ).toEqual(['c0s0'])
    expect(second.spent).toBeCloseTo(estimate.cost, 2)
  })

  it('only + force renders another take of just the chosen shot; the rest come from the cache', async () => {
    const dir = await tempDir()
    const sim = await startSim({ latencyMs: 100 })
    const provider = simProvider(sim)
    const plan = chainsPlan(2, 2)
    const options = { provider, runDir: `${dir}/run`, cacheDir: `${dir}/cache`, concurrency: 2 }
    await runPlan(plan, options)
    const before = sim.submissions().length

    const estimate = await estimateRun(plan, { ...options, only: ['c1s1'], force: true })
    expect(estimate.shots.map((s) => [s.shot, s.action])).toEqual([
      ['c0s0', 'reuse'],
      ['c0s1', 'reuse'],
      ['c1s0', 'reuse'],
      ['c1s1', 'submit'],
    ])
    const result = await runPlan(plan, { ...options, only: ['c1s1'], force: true })
    expect(result.shots.map((s) => s.status)).toEqual(['cached', 'cached', 'cached', 'done'])
    expect(submittedSince(sim, before)).toEqual(['c1s1'])

    await expect(runPlan(plan, { ...options, only: ['nope'] })).rejects.toMatchObject({
      code: 'SCHED_INVALID_OPTION',
    })
  })

  it('only without a cache: the unselected shots are skipped and nothing else is submitted', async () => {
    const dir = await tempDir()
    const sim = await startSim({ latencyMs: 100 })
    const plan = chainsPlan(2, 2)
    const result = await runPlan(plan, {
      provider: simProvider(sim),
      runDir: `${dir}/run`,
      cacheDir: `${dir}/cache`,
      concurrency: 2,
      only: ['c0s0', 'c0s1'],
    })
    expect(result.shots.map((s) => [s.shot, s.status])).toEqual([
      ['c0s0', 'done'],
      ['c0s1', 'done'],
      ['c1s0', 'skipped'],
      ['c1s1', 'skipped'],
    ])
    expect(sim.stats().createdTotal).toBe(2)
  })
})
