/**
 * What finding out ffmpeg's capabilities costs a process: before, `-version`,
 * `-filters` and `-encoders` at once, then fluent-ffmpeg's own `-formats` and
 * `-encoders` before the first job; now nothing once the answer is in the cache
 * directory (a JSON file read), and the three listings once per binary otherwise.
 *
 *   pnpm exec tsx packages/assembler/bench/probe.ts [runs=7]
 *
 * Each "process" is a fresh instance of the capabilities module (imported under a
 * new URL), so nothing is remembered in memory between runs.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findFfmpeg } from '../src/index.ts'
import { runTool } from '../src/internal/runner.ts'
import { median, row, time } from './shared.ts'

const runs = Number(process.argv[2] ?? 7)
const ffmpeg = findFfmpeg().ffmpeg.path
type CapabilitiesModule = typeof import('../src/internal/capabilities.ts')
const freshModule = (run: number, variant: string): Promise<CapabilitiesModule> =>
  import(`../src/internal/capabilities.ts?${variant}=${run}`) as Promise<CapabilitiesModule>
const listing = (...args: string[]): Promise<unknown> =>
  runTool(ffmpeg, ['-hide_banner', ...args], { captureStdout: true })

const warmDir = await mkdtemp(join(tmpdir(), 'storyreel-caps-'))
await (await freshModule(0, 'fill')).ffmpegCapabilities(ffmpeg, warmDir)
const results = { before: [] as number[], cold: [] as number[], warm: [] as number[] }
for (let run = 0; run < runs; run++) {
  // Interleaved so drifting machine load hits every variant alike.
  results.before.push(
    await time(async () => {
      await Promise.all([listing('-version'), listing('-filters'), listing('-encoders')])
      await listing('-formats') // fluent-ffmpeg, before the first job of the process
      await listing('-encoders')
    }),
  )
  const coldDir = await mkdtemp(join(tmpdir(), 'storyreel-caps-'))
  const cold = await freshModule(run, 'cold')
  results.cold.push(await time(() => cold.ffmpegCapabilities(ffmpeg, coldDir)))
  await rm(coldDir, { recursive: true, force: true })
  const warm = await freshModule(run, 'warm')
  results.warm.push(await time(() => warm.ffmpegCapabilities(ffmpeg, warmDir)))
}
await rm(warmDir, { recursive: true, force: true })
const base = median(results.before)
console.log(`${ffmpeg}; ${runs} runs; medians`)
console.log('| per process | median | vs before | runs (s) |')
console.log('| --- | --- | --- | --- |')
console.log(
  row('before: 3 listings at once, then fluent-ffmpeg `-formats` and `-encoders`', results.before, base),
)
console.log(
  row(
    'now, first process for this binary (3 listings at once, written to the cache directory)',
    results.cold,
    base,
  ),
)
console.log(row('now, every later process (the cache file read)', results.warm, base))
