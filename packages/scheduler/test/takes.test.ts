import { readFile, rm, writeFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { sha256File } from '../src/hash.ts'
import { readJournal } from '../src/journal-summary.ts'
import { runLayout } from '../src/run-layout.ts'
import { staleShots } from '../src/stale-shots.ts'
import { planOf, type ShotSpec } from './helpers/plan.ts'
import { runPlan } from './helpers/run.ts'
import { simProvider, startSim, tempDir } from './helpers/sim.ts'

/** a (text-to-video, with takes) → b → c, each chained from the last frame of the one before. */
const chain = (head: Pick<ShotSpec, 'takes' | 'pick'>) =>
  planOf([
    { id: 'a', ...head },
    { id: 'b', after: 'a' },
    { id: 'c', after: 'b' },
  ])

describe('takes', { timeout: 180_000 }, () => {
  it('renders every take once, chains from the picked one only, and re-renders exactly what a pick or a raise changes', async () => {
    const dir = await tempDir()
    const sim = await startSim({ latencyMs: 100 })
    const provider = simProvider(sim)
    const options = { provider, runDir: `${dir}/run`, cacheDir: `${dir}/cache`, concurrency: 4 }
    const layout = runLayout(options.runDir)
    const created = () => sim.stats().createdTotal
    /** sha256 of the start image the simulator received for the latest prediction of a shot whose prompt starts with `shot <id>`. */
    const startImageOf = (id: string) =>
      sim.submissions().findLast((s) => s.id && String(s.params.prompt).startsWith(`shot ${id},`))?.images[0]
        ?.sha256

    const first = await runPlan(chain({ takes: 3 }), options)
    expect(first.ok).toBe(true)
    expect(created()).toBe(5)
    expect(first.takes.map((t) => [t.shot, t.take, t.picked, t.status])).toEqual([
      ['a', 1, true, 'done'],
      ['a', 2, false, 'done'],
      ['a', 3, false, 'done'],
      ['b', 1, true, 'done'],
      ['c', 1, true, 'done'],
    ])
    const takeSha = await Promise.all([1, 2, 3].map((n) => sha256File(layout.take('a', n).clip)))
    expect(new Set(takeSha).size).toBe(3) // the simulator's takes differ, as the real API's do
    expect(await sha256File(layout.shot('a').clip)).toBe(takeSha[0])
    expect(startImageOf('b')).toBe(await sha256File(layout.take('a', 1).last))
    expect(first.estimate.submissions).toBe(5)

    // Pick take 2: b and c start from another image now; a's takes are all kept.
    const picked = chain({ takes: 3, pick: 2 })
    const stale = await staleShots(picked, options)
    expect(stale.shots.map((s) => [s.shot, s.takes, s.reason])).toEqual([
      ['b', [1], 'start'],
      ['c', [1], 'start'],
    ])
    expect(stale.cost).toBeCloseTo(2 * picked.shots[1]!.cost, 2)
    const second = await runPlan(picked, options)
    expect(second.ok).toBe(true)
    expect(created()).toBe(7)
    expect(await sha256File(layout.shot('a').clip)).toBe(takeSha[1])
    expect(await sha256File(layout.shot('a').last)).toBe(await sha256File(layout.take('a', 2).last))
    expect(startImageOf('b')).toBe(await sha256File(layout.take('a', 2).last))
    expect(
      (await readJournal(options.runDir)).shots.find((s) => s.shot === 'a')!.takes.map((t) => t.take),
    ).toEqual([1, 2, 3])

    // Raise takes to 4: take 4 only.
    const raised = chain({ takes: 4, pick: 2 })
    expect((await staleShots(raised, options)).shots.map((s) => [s.shot, s.takes, s.reason])).toEqual([
      ['a', [4], 'takes'],
    ])
    await runPlan(raised, options)
    expect(created()).toBe(8)

    // The same storyboard again: nothing. Lowering takes keeps the clips and submits nothing either.
    expect((await staleShots(raised, options)).shots).toEqual([])
    const again = await runPlan(raised, options)
    expect(created()).toBe(8)
    expect(again.takes.every((t) => t.status === 'cached')).toBe(true)
    const lowered = await runPlan(chain({ takes: 2, pick: 2 }), options)
    expect(created()).toBe(8)
    expect(lowered.takes.filter((t) => t.shot === 'a').map((t) => t.take)).toEqual([1, 2])
    expect(await sha256File(layout.take('a', 4).clip)).toMatch(/^[0-9a-f]{64}$/)

    // An edited prompt and a new shot are stale too, each with its reason.
    const edited = planOf([
      { id: 'a', takes: 4, pick: 2 },
      { id: 'b', after: 'a' },
      { id: 'c', after: 'b', prompt: 'shot c, now in the rain' },
      { id: 'd' },
    ])
    expect((await staleShots(edited, options)).shots.map((s) => [s.shot, s.takes, s.reason])).toEqual([
      ['c', [1], 'edited'],
      ['d', [1], 'added'],
    ])
  })

  it('a clip whose bytes no longer match the journal is fetched again from its prediction, not paid for again', async () => {
    const dir = await tempDir()
    const sim = await startSim({ latencyMs: 100 })
    const options = {
      provider: simProvider(sim),
      runDir: `${dir}/run`,
      cacheDir: `${dir}/cache`,
      concurrency: 2,
    }
    const plan = planOf([{ id: 'a' }])
    const layout = runLayout(options.runDir)
    await runPlan(plan, options)
    const original = await sha256File(layout.shot('a').clip)

    // Same-size corruption; the run's clip and the cache's are one file (hard links), so both go bad.
    const bytes = await readFile(layout.take('a', 1).clip)
    bytes.fill(0, 1000, 5000)
    await writeFile(layout.take('a', 1).clip, bytes)
    expect(await sha256File(layout.shot('a').clip)).not.toBe(original)

    const estimate = (await staleShots(plan, options)).submissions
    expect(estimate).toBe(0)
    const again = await runPlan(plan, options)
    expect(again.ok).toBe(true)
    expect(sim.stats().createdTotal).toBe(1)
    expect(sim.timelines()[0]!.downloads).toBe(2)
    expect(await sha256File(layout.shot('a').clip)).toBe(original)
    expect(
      await sha256File(
        `${options.cacheDir}/clips/${again.shots[0]!.status === 'done' ? again.shots[0]!.key : ''}.mp4`,
      ),
    ).toBe(original)
  })

  it('a run directory made before takes keeps its clip as take 1, also when another take is picked over it', async () => {
    const dir = await tempDir()
    const sim = await startSim({ latencyMs: 100 })
    const options = {
      provider: simProvider(sim),
      runDir: `${dir}/run`,
      cacheDir: `${dir}/cache`,
      concurrency: 4,
    }
    const layout = runLayout(options.runDir)
    const plan = (head: Pick<ShotSpec, 'takes' | 'pick'>) =>
      planOf([
        { id: 'a', ...head },
        { id: 'b', after: 'a' },
      ])
    await runPlan(plan({}), options)
    const take1 = await sha256File(layout.shot('a').clip)
    // What an older version left: clips journaled in shots/, no takes/, no take fields, no placed records; no cache.
    const journal = (await readFile(layout.journal, 'utf8'))
      .split('\n')
      .filter((line) => line && !line.includes('"placed"'))
      .map((line) => {
        const { take: _take, ...record } = JSON.parse(line) as Record<string, unknown>
        return JSON.stringify({
          ...record,
          ...(typeof record.file === 'string'
            ? { file: record.file.replace(/^takes\/(\w+)\/take-1\.mp4$/, 'shots/$1.mp4') }
            : {}),
        })
      })
    await writeFile(layout.journal, `${journal.join('\n')}\n`)
    await rm(`${options.runDir}/takes`, { recursive: true })
    await rm(options.cacheDir, { recursive: true })

    const result = await runPlan(plan({ takes: 2, pick: 2 }), options)
    expect(result.ok).toBe(true)
    expect(sim.stats().createdTotal).toBe(2 + 2) // take 2 of a, and b from take 2's last frame
    expect(result.takes.map((t) => [t.shot, t.take, t.status])).toEqual([
      ['a', 1, 'cached'],
      ['a', 2, 'done'],
      ['b', 1, 'done'],
    ])
    expect(await sha256File(layout.take('a', 1).clip)).toBe(take1)
    expect(await sha256File(layout.shot('a').clip)).toBe(await sha256File(layout.take('a', 2).clip))
    // Picking take 1 back costs only b (its clip from take 1 was in shots/ alone, and this cache was emptied).
    const back = await staleShots(plan({ takes: 2, pick: 1 }), options)
    expect(back.shots.map((x) => [x.shot, x.takes, x.reason])).toEqual([['b', [1], 'start']])
  })
})
