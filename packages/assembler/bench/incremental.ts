/**
 * The reel after the last clip lands: 12 shots of 5 s 720p with crossfades (0.5 s)
 * at every join, clips landing every `interval` seconds as a render delivers them.
 * With openReel the mezzanines and transitions are made in the background while
 * clips land, so after the last one only its mezzanine, its transition and the
 * join remain; before, the whole reel was stitched after the last clip (`assembleReel`, cold).
 *
 *   pnpm exec tsx packages/assembler/bench/incremental.ts [runs=3] [interval=5]
 *
 * Reports, per run: from the last clip landing to the reel written, and from that
 * clip's mezzanine being written (the file appearing in the work folder) to the reel.
 */
import { mkdir, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { OutputSpec } from '@storyreel/core'
import { assembleReel, locateFfmpeg, openReel } from '../src/index.ts'
import { bareConcat, generateClips, median, root, row, time } from './shared.ts'

const runs = Number(process.argv[2] ?? 3)
const interval = Number(process.argv[3] ?? 5) * 1000
const crossfade = { type: 'crossfade', duration: 0.5 } as const
const out = join(root, 'out')
await mkdir(out, { recursive: true })
const output = (file: string): OutputSpec => ({
  file: join(out, file),
  width: 1280,
  height: 720,
  fps: 24,
  fit: 'contain',
  transition: crossfade,
})
const clips = await generateClips(12)
const shots = clips.map((_, i) => ({ id: `s${i}`, seam: false }))
const sleep = (ms: number): Promise<void> => new Promise((wake) => setTimeout(wake, ms))
const mezzanines = (dir: string): Promise<number> =>
  readdir(dir).then(
    (names) => names.filter((n) => n.startsWith('mezzanine-') && n.endsWith('.mov')).length,
    () => 0,
  )

const installation = await locateFfmpeg({ cacheDir: root })
const results = {
  baseline: [] as number[],
  cold: [] as number[],
  afterLanding: [] as number[],
  afterMezzanine: [] as number[],
}
for (let run = 0; run < runs; run++) {
  results.baseline.push(await time(() => bareConcat(clips, join(out, 'bare.mp4'))))
  if (run === 0) {
    const cold = join(root, 'work-cold')
    await rm(cold, { recursive: true, force: true })
    results.cold.push(
      await time(() =>
        assembleReel({
          segments: clips.map((file, i) => ({ file, ...shots[i]! })),
          output: output('cold.mp4'),
          workDir: cold,
        }),
      ),
    )
  }
  const workDir = join(root, `work-incremental`)
  await rm(workDir, { recursive: true, force: true })
  const reel = openReel({ segments: shots, output: output('incremental.mp4'), workDir })
  for (let i = 0; i < clips.length - 1; i++) {
    reel.clipLanded(shots[i]!.id, clips[i]!)
    await sleep(interval)
  }
  let mezzanineAt = Number.NaN
  const watching = (async () => {
    while ((await mezzanines(workDir)) < clips.length) await sleep(20)
    mezzanineAt = performance.now()
  })()
  const landedAt = performance.now()
  reel.clipLanded(shots.at(-1)!.id, clips.at(-1)!)
  const result = await reel.finish()
  const doneAt = performance.now()
  await watching
  await reel.close()
  if (result.method !== 'smart' || result.frames !== 12 * 120 - 11 * 12)
    throw new Error(`unexpected reel: ${result.method}, ${result.frames} frames`)
  results.afterLanding.push(doneAt - landedAt)
  results.afterMezzanine.push(doneAt - mezzanineAt)
}
const base = median(results.baseline)
console.log(
  `ffmpeg ${installation.version}; 12 clips of 5 s 1280x720 24 fps, crossfades of 0.5 s; a clip lands every ${interval / 1000} s; ${runs} runs; medians`,
)
console.log('| variant | median | vs bare concat | runs (s) |')
console.log('| --- | --- | --- | --- |')
console.log(
  row('bare `ffmpeg -f concat -safe 0 -i list -c copy` of the 12 clips (baseline)', results.baseline, base),
)
console.log(
  row('before: `assembleReel` after the last clip (everything stitched then, one run)', results.cold, base),
)
console.log(row('`openReel`: last clip landed → reel written', results.afterLanding, base))
console.log(row("`openReel`: last clip's mezzanine written → reel written", results.afterMezzanine, base))
