import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import type { SchedulerEvent } from '../src/events.ts'
import { parseJournal } from '../src/journal-records.ts'
import { runLayout } from '../src/run-layout.ts'
import type { LandedClip } from '../src/run-types.ts'
import { planOf } from './helpers/plan.ts'
import { runPlan } from './helpers/run.ts'
import { simProvider, startSim, tempDir } from './helpers/sim.ts'

/**
 * Resolves when shot `b`'s prediction is created, or after a minute: a scheduler that waited for a's
 * verification before submitting b would never get there, and the order the test records says so.
 */
function bSubmission() {
  let resolve!: () => void
  const submitted = new Promise<void>((r) => (resolve = r))
  const order: string[] = []
  return {
    order,
    onEvent: (event: SchedulerEvent) => {
      if (event.type === 'submitted' && event.shot === 'b') {
        order.push('b submitted')
        resolve()
      }
    },
    waited: () => Promise.race([submitted, new Promise<void>((r) => setTimeout(r, 60_000).unref())]),
  }
}

describe(
  'the chain hand-off: a chained shot starts from its upstream clip before that clip is fully verified',
  { timeout: 240_000 },
  () => {
    const plan = planOf([
      { id: 'a', prompt: 'a: one' },
      { id: 'b', prompt: 'b: two', after: 'a' },
    ])

    it("submits the chained shot from the last frame while the upstream clip's verification is still running", async () => {
      const dir = await tempDir()
      const sim = await startSim({ latencyMs: 100 })
      const layout = runLayout(`${dir}/run`)
      const b = bSubmission()
      const result = await runPlan(plan, {
        provider: simProvider(sim),
        runDir: `${dir}/run`,
        cacheDir: `${dir}/cache`,
        concurrency: 2,
        onEvent: b.onEvent,
        verifyClip: async (clip) => {
          if (clip !== layout.take('a', 1).clip) return
          b.order.push('a verifying')
          await b.waited()
          b.order.push('a verified')
        },
      })
      expect(b.order).toEqual(['a verifying', 'b submitted', 'a verified'])
      expect(result.shots.map((s) => s.status)).toEqual(['done', 'done'])
      expect(result.images.get(layout.shot('a').last)).toMatch(/^[0-9a-f]{64}$/)
      expect(sim.stats().createdTotal).toBe(2)
    })

    it('a clip that fails its verification after the hand-off is never journaled, placed or cached; the next run fetches it again for free and submits nothing', async () => {
      const dir = await tempDir()
      const sim = await startSim({ latencyMs: 100 })
      const layout = runLayout(`${dir}/run`)
      const options = {
        provider: simProvider(sim),
        runDir: `${dir}/run`,
        cacheDir: `${dir}/cache`,
        concurrency: 2,
      }
      const b = bSubmission()
      const landed: LandedClip[] = []
      const first = await runPlan(plan, {
        ...options,
        onEvent: b.onEvent,
        onClip: (clip) => landed.push(clip),
        verifyClip: async (clip) => {
          if (clip !== layout.take('a', 1).clip) return
          await b.waited()
          throw new Error('frame 40 does not decode')
        },
      })
      expect(b.order).toEqual(['b submitted'])
      expect(first.shots[0]).toMatchObject({
        shot: 'a',
        status: 'failed',
        predictionId: sim.submissions()[0]!.id,
      })
      expect(first.shots[0]!.status === 'failed' && first.shots[0]!.message).toMatch(
        /finished but its clip is not usable: frame 40 does not decode\. Re-run to download it again \(nothing is paid twice\)/,
      )
      expect(first.shots[1]).toMatchObject({ shot: 'b', status: 'done' })
      expect(first.ok).toBe(false)
      const journal = parseJournal(await readFile(layout.journal, 'utf8'))
      expect(journal.filter((r) => 'shot' in r && r.shot === 'a').map((r) => r.type)).toEqual([
        'intent',
        'submitted',
        'completed',
      ])
      // Only b's clip is in the cache (a clip and its sidecar), and only b reached the caller and shots/.
      expect((await readdir(`${dir}/cache/clips`)).filter((f) => f.endsWith('.json'))).toHaveLength(1)
      expect(landed.map((c) => c.shot)).toEqual(['b'])
      expect(existsSync(layout.shot('a').clip)).toBe(false)

      const second = await runPlan(plan, { ...options, verifyClip: async () => undefined })
      expect(second.shots[0]).toMatchObject({ shot: 'a', status: 'done', cost: 0 })
      expect(second.shots[1]).toMatchObject({ shot: 'b', status: 'cached' })
      expect(second.ok).toBe(true)
      expect(sim.stats().createdTotal).toBe(2)
    })
  },
)
