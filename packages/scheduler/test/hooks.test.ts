import { describe, expect, it } from 'vitest'
import { runLayout } from '../src/run-layout.ts'
import type { LandedClip } from '../src/run-types.ts'
import { planOf } from './helpers/plan.ts'
import { runPlan } from './helpers/run.ts'
import { simProvider, startSim, tempDir } from './helpers/sim.ts'

describe('the clip hooks a caller passes', { timeout: 120_000 }, () => {
  it('onClip hears of every clip the moment it lands, rendered or reused', async () => {
    const dir = await tempDir()
    const sim = await startSim({ latencyMs: 100 })
    const plan = planOf([
      { id: 'a', prompt: 'a: one' },
      { id: 'b', prompt: 'b: two', after: 'a' },
    ])
    const options = {
      provider: simProvider(sim),
      runDir: `${dir}/run`,
      cacheDir: `${dir}/cache`,
      concurrency: 2,
    }
    const landed: LandedClip[] = []
    const first = await runPlan(plan, { ...options, onClip: (clip) => landed.push(clip) })
    expect(landed.map((c) => [c.shot, c.source])).toEqual([
      ['a', 'provider'],
      ['b', 'provider'],
    ])
    expect(landed.map((c) => c.sha256)).toEqual(
      first.shots.map((s) => ('sha256' in s ? s.sha256 : undefined)),
    )
    landed.length = 0
    await runPlan(plan, { ...options, onClip: (clip) => landed.push(clip) })
    expect(landed.map((c) => [c.shot, c.source, c.clip])).toEqual([
      ['a', 'run-dir', runLayout(`${dir}/run`).shot('a').clip],
      ['b', 'run-dir', runLayout(`${dir}/run`).shot('b').clip],
    ])
  })

  it('a clip verifyClip rejects is not journaled or cached; the next run fetches it again without paying', async () => {
    const dir = await tempDir()
    const sim = await startSim({ latencyMs: 100 })
    const plan = planOf([{ id: 'a', prompt: 'a: one' }])
    const options = {
      provider: simProvider(sim),
      runDir: `${dir}/run`,
      cacheDir: `${dir}/cache`,
      concurrency: 1,
    }
    const checked: number[] = []
    const rejected = await runPlan(plan, {
      ...options,
      verifyClip: async (_clip, expected) => {
        checked.push(expected.duration)
        throw new Error('the clip has no video stream')
      },
    })
    expect(checked).toEqual([5])
    expect(rejected.failures[0]).toMatchObject({ shot: 'a', predictionId: sim.submissions()[0]!.id })
    expect(rejected.failures[0]!.message).toMatch(
      /finished but its clip is not usable: the clip has no video stream\. Re-run to download it again \(nothing is paid twice\)/,
    )

    const accepted = await runPlan(plan, { ...options, verifyClip: async () => undefined })
    expect(accepted.shots[0]).toMatchObject({ status: 'done', cost: 0 })
    expect(sim.stats().createdTotal).toBe(1)
  })
})
