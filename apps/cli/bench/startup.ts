/**
 * Start-up of the built CLI against `node -e 0`, timed alternately in one run (medians):
 * `storyreel --version` and `storyreel validate` of a one-shot storyboard.
 *
 *   pnpm build && pnpm exec tsx apps/cli/bench/startup.ts [--runs 21]
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const BIN = fileURLToPath(new URL('../dist/storyreel.mjs', import.meta.url))
const { values } = parseArgs({ options: { runs: { type: 'string', default: '21' } } })
const RUNS = Number(values.runs)
const WARMUP = 3

const SMALL = `version: 1
title: Small
shots:
  - id: open
    model: kling-v2.1-t2v-master
    prompt: A small fishing boat in a raging storm at night.
`

function timeMs(args: readonly string[]): number {
  const start = process.hrtime.bigint()
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (result.status !== 0)
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr.toString()}`)
  return ms
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` first.`)
const dir = await mkdtemp(join(tmpdir(), 'storyreel-startup-'))
try {
  const file = join(dir, 'small.yaml')
  await writeFile(file, SMALL)
  const cases = {
    'node -e 0': ['-e', '0'],
    'storyreel --version': [BIN, '--version'],
    'storyreel validate small.yaml': [BIN, 'validate', file],
  }
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]))
  for (let round = 0; round < WARMUP + RUNS; round++) {
    for (const [name, args] of Object.entries(cases)) {
      const ms = timeMs(args)
      if (round >= WARMUP) times[name]!.push(ms)
    }
  }
  const base = median(times['node -e 0']!)
  console.log(`| command | median | ratio to \`node -e 0\` |\n| --- | ---: | ---: |`)
  for (const [name, xs] of Object.entries(times))
    console.log(`| \`${name}\` | ${median(xs).toFixed(1)} ms | ${(median(xs) / base).toFixed(2)}x |`)
  console.log(`\n${RUNS} rounds after ${WARMUP} warm-up, Node ${process.versions.node}`)
} finally {
  await rm(dir, { recursive: true, force: true })
}
