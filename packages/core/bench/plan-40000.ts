/**
 * `validate` and `plan` of a 40,000-shot storyboard of one-line independent shots
 * (about 1 MB, the largest storyboard allowed), against `yaml.parse` of the same
 * text as a same-run baseline. Issue 14 item 7: this took 9.5 s to validate and
 * 577 s to plan.
 *
 *   pnpm exec tsx packages/core/bench/plan-40000.ts [--runs N]
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { parse } from 'yaml'
import {
  criticalPath,
  estimateWallClockSeconds,
  loadStoryboard,
  type Plan,
  planChains,
} from '../src/index.ts'

const SHOTS = 40_000
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } })
const RUNS = Number(values.runs)

function storyboardText(): string {
  const lines = ['version: 1', 'defaults: { model: kling-v2.1-t2v-master }', 'shots:']
  for (let index = 0; index < SHOTS; index++) lines.push(`- {id: s${index}, prompt: x}`)
  return `${lines.join('\n')}\n`
}

/** What `storyreel plan` computes after loading: chains, critical path, wall-clock at 4 and one at a time. */
function analyse(plan: Plan): number {
  planChains(plan)
  criticalPath(plan)
  return estimateWallClockSeconds(plan, 4) + estimateWallClockSeconds(plan, 1)
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

async function timed<T>(task: () => Promise<T> | T): Promise<[T, number]> {
  const started = performance.now()
  const result = await task()
  return [result, performance.now() - started]
}

const dir = await mkdtemp(join(tmpdir(), 'storyreel-bench-'))
try {
  const file = join(dir, 'forty-thousand.yaml')
  await writeFile(file, storyboardText())
  const samples = { baseline: [] as number[], validate: [] as number[], analysis: [] as number[] }
  // One warm-up round, then the three measured alternately so machine noise falls on all alike.
  for (let round = 0; round <= RUNS; round++) {
    const [, baseline] = await timed(async () => parse(await readFile(file, 'utf8')))
    const [result, validate] = await timed(() => loadStoryboard(file))
    if (!result.ok) throw new Error(`the generated storyboard is invalid: ${result.issues[0]?.message}`)
    const [, analysis] = await timed(() => analyse(result.plan))
    if (round === 0) continue
    samples.baseline.push(baseline)
    samples.validate.push(validate)
    samples.analysis.push(analysis)
  }
  const ms = (value: number) => `${value.toFixed(0)} ms`
  const base = median(samples.baseline)
  const validate = median(samples.validate)
  const analysis = median(samples.analysis)
  process.stdout.write(
    [
      `storyboard: ${SHOTS} independent shots, ${(await readFile(file)).length} bytes; medians of ${RUNS} runs after one warm-up`,
      `read + yaml.parse (baseline):            ${ms(base)}`,
      `loadStoryboard (validate):                ${ms(validate)}  (${(validate / base).toFixed(2)}x the baseline)`,
      `plan analysis (chains, critical path, wall-clock at 4 and 1): ${ms(analysis)}  (${(analysis / base).toFixed(2)}x)`,
      `validate + analysis (plan):               ${ms(validate + analysis)}  (${((validate + analysis) / base).toFixed(2)}x); target < 2000 ms: ${validate + analysis < 2000 ? 'met' : 'NOT met'}`,
      '',
    ].join('\n'),
  )
} finally {
  await rm(dir, { recursive: true, force: true })
}
