/**
 * How long the review page waits after a save: the time `storyreel review` takes to read the storyboard
 * and the run directory into a snapshot (core's plan + the scheduler's estimate, which checks every clip's
 * sha256), against a same-run baseline of `loadStoryboard` alone. The debounce (150 ms) comes on top.
 *
 *   pnpm storyreel render storyboards/storm-at-sea.yaml          # once: a run directory to compare with
 *   pnpm exec tsx apps/cli/bench/review-snapshot.ts storyboards/storm-at-sea.yaml renders/storm-at-sea [--runs 15]
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { loadStoryboard } from '@storyreel/core'
import { reviewSnapshot } from '../src/review/review-snapshot.ts'

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '15' } },
})
const [file, runDir] = positionals
if (!file || !runDir) throw new Error('usage: review-snapshot.ts STORYBOARD RUN_DIR [--runs N]')
const cwd = process.cwd()
const source = {
  file,
  cwd,
  runDir: resolve(runDir),
  cacheDir: resolve('.storyreel-cache'),
  provider: { name: 'animatic', paid: false },
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
async function time(step: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await step()
  return performance.now() - started
}

const base: number[] = []
const snap: number[] = []
const first = await reviewSnapshot(source)
if (!first.valid) throw new Error(`${file} is not valid`)
for (let i = 0; i < 2; i++) await Promise.all([loadStoryboard(file, { cwd }), reviewSnapshot(source)])
for (let i = 0; i < Number(values.runs); i++) {
  base.push(await time(() => loadStoryboard(file, { cwd })))
  snap.push(await time(() => reviewSnapshot(source)))
}
const b = median(base)
const s = median(snap)
console.log(
  `${first.shots.length} shots, ${first.stale.shots.length} stale; medians of ${values.runs}: loadStoryboard ${b.toFixed(1)} ms, snapshot ${s.toFixed(1)} ms (${(s / b).toFixed(2)}x)`,
)
