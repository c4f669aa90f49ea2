/**
 * Parse + validate + plan of a generated 1,000-shot storyboard, against
 * `yaml.parse` of the same text as a same-run baseline.
 *
 *   pnpm exec tsx packages/core/bench/plan-1000.ts
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { loadStoryboard } from '../src/index.ts'

const SHOTS = 1000
const CHAIN_LENGTH = 20
const RUNS = 20
const WARMUP = 10

/** 50 chains of 20: a head from an image, last-frame links, end-image hand-offs and after: references. */
function storyboardText(): string {
  const lines = [
    '# yaml-language-server: $schema=../packages/core/storyboard.schema.json',
    'version: 1',
    'title: Benchmark reel',
    'defaults:',
    '  model: kling-v2.1-i2v-pro',
    '  duration: 5',
    '  guidance_scale: 0.5',
    '  negative_prompt: blur, distort, low quality',
    '  aspect_ratio: "16:9"',
    'style: cinematic, 35mm film grain',
    'output:',
    '  transition: { type: crossfade, duration: 0.5 }',
    'shots:',
  ]
  for (let index = 0; index < SHOTS; index++) {
    const chain = Math.floor(index / CHAIN_LENGTH)
    const step = index % CHAIN_LENGTH
    lines.push(
      `  - id: c${chain}-s${step}`,
      `    prompt: Chain ${chain}, shot ${step}. The camera drifts across the scene as the light changes.`,
    )
    if (step === 0) {
      lines.push(`    image: images/start-${chain % 4}.png`)
    } else if (step % 7 === 0) {
      lines.push(`    image: { after: c${chain}-s${step - 3} }`)
    } else if (step % 5 === 0) {
      lines.push('    model: kling-v2.0-i2v-master', '    end_image: images/end.png')
    } else if (step % 11 === 0) {
      lines.push('    model: kling-v2.5-turbo-pro/text-to-video')
    }
    if (step % 3 === 0) lines.push('    duration: 10', '    trim: { start: 0.5, end: 9.5 }')
  }
  return `${lines.join('\n')}\n`
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** Runs the tasks alternately, so machine noise and JIT warm-up fall on both alike. */
async function timeInterleaved(tasks: readonly (() => Promise<unknown>)[]): Promise<number[][]> {
  for (let i = 0; i < WARMUP; i++) for (const task of tasks) await task()
  const samples = tasks.map((): number[] => [])
  for (let i = 0; i < RUNS; i++) {
    for (const [index, task] of tasks.entries()) {
      const started = performance.now()
      await task()
      samples[index]!.push(performance.now() - started)
    }
  }
  return samples
}

const dir = await mkdtemp(join(tmpdir(), 'storyreel-bench-'))
try {
  const fixtures = join(import.meta.dirname, '../test/fixtures/images')
  const { mkdir } = await import('node:fs/promises')
  await mkdir(join(dir, 'images'))
  for (let i = 0; i < 4; i++)
    await copyFile(join(fixtures, 'start.png'), join(dir, 'images', `start-${i}.png`))
  await copyFile(join(fixtures, 'end.png'), join(dir, 'images', 'end.png'))
  const file = join(dir, 'bench.yaml')
  await writeFile(file, storyboardText())

  const check = await loadStoryboard(file)
  if (!check.ok) throw new Error(`the generated storyboard is invalid: ${check.issues[0]?.message}`)
  const dependent = check.plan.shots.filter((shot) => shot.dependsOn.length > 0).length
  const endImage = check.plan.shots.filter((shot) => shot.start.kind === 'end-image').length

  const [baseline, full] = (await timeInterleaved([
    async () => parse(await readFile(file, 'utf8')),
    () => loadStoryboard(file),
  ])) as [number[], number[]]
  const yamlMs = median(baseline)
  const fullMs = median(full)
  process.stdout.write(
    [
      `storyboard: ${SHOTS} shots, ${(await readFile(file)).length} bytes, ${dependent} waiting on a last frame, ${endImage} starting from an end image`,
      `read + yaml.parse (baseline): median ${yamlMs.toFixed(1)} ms over ${RUNS} runs`,
      `loadStoryboard (read, parse, schema, catalog + image checks, plan): median ${fullMs.toFixed(1)} ms over ${RUNS} runs (min ${Math.min(...full).toFixed(1)}, max ${Math.max(...full).toFixed(1)})`,
      `ratio to baseline: ${(fullMs / yamlMs).toFixed(2)}x; target < 300 ms: ${fullMs < 300 ? 'met' : 'NOT met'}`,
      '',
    ].join('\n'),
  )
} finally {
  await rm(dir, { recursive: true, force: true })
}
