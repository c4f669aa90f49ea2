import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { planOf } from './helpers/plan.ts'
import { runPlan } from './helpers/run.ts'
import { simProvider, startSim, tempDir } from './helpers/sim.ts'

/** Places a run cannot write are found before anything is submitted, each as one coded error. */
describe(
  'before anything is paid, the run directory and the cache are created and written',
  { timeout: 60_000 },
  () => {
    it('a run directory where none can be made (/proc/...) fails at once instead of hanging', async () => {
      const dir = await tempDir()
      const sim = await startSim()
      const run = runPlan(planOf([{ id: 'a', prompt: 'a: one' }]), {
        provider: simProvider(sim),
        runDir: `/proc/storyreel-${process.pid}/run`,
        cacheDir: `${dir}/cache`,
        concurrency: 1,
      })
      await expect(run).rejects.toMatchObject({
        code: 'SCHED_UNWRITABLE',
        role: 'run',
        path: `/proc/storyreel-${process.pid}`,
        reason: 'ENOENT',
      })
      expect(sim.stats().createdTotal).toBe(0)
    })

    it('a run directory behind a file names the file', async () => {
      const dir = await tempDir()
      const sim = await startSim()
      await writeFile(join(dir, 'blocker'), 'a file where a directory should be')
      const run = runPlan(planOf([{ id: 'a', prompt: 'a: one' }]), {
        provider: simProvider(sim),
        runDir: join(dir, 'blocker', 'run'),
        cacheDir: `${dir}/cache`,
        concurrency: 1,
      })
      await expect(run).rejects.toMatchObject({
        code: 'SCHED_UNWRITABLE',
        role: 'run',
        path: join(dir, 'blocker'),
        reason: 'ENOTDIR',
      })
    })

    it('an unwritable clip cache fails before the first prediction, not after it was paid', async () => {
      const dir = await tempDir()
      const sim = await startSim()
      await writeFile(join(dir, 'blocker'), 'a file where the cache should be')
      const run = runPlan(planOf([{ id: 'a', prompt: 'a: one' }]), {
        provider: simProvider(sim),
        runDir: `${dir}/run`,
        cacheDir: join(dir, 'blocker', 'cache'),
        concurrency: 1,
      })
      await expect(run).rejects.toMatchObject({ code: 'SCHED_UNWRITABLE', role: 'cache', reason: 'ENOTDIR' })
      expect(sim.stats().createdTotal).toBe(0)
      // Nothing was journaled either: the run never started.
      expect(existsSync(join(dir, 'run', 'journal.ndjson'))).toBe(false)
    })
  },
)
