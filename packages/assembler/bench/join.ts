/**
 * Joining 20 five-second 720p clips: a bare `ffmpeg -f concat -c copy` (baseline)
 * against assembleReel's stream-copy fast path, its normalizing path (every clip
 * re-encoded to a new canvas), and a re-run of the latter with its mezzanines cached.
 *
 *   pnpm exec tsx packages/assembler/bench/join.ts [copyRuns=7] [normalizeRuns=2]
 *
 * Clips are generated once into the system temp folder and reused.
 */
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { assembleReel, countFrames, locateFfmpeg, type ReelSegment } from '../src/index.ts'
import { bareConcat, generateClips, median, root, row as tableRow, time } from './shared.ts'

const CLIPS = 20
const runs = Number(process.argv[2] ?? 7)
const normalizeRuns = Number(process.argv[3] ?? 2)
const cut = { type: 'cut', duration: 0 } as const

const installation = await locateFfmpeg()
const clips = await generateClips(CLIPS)
const segments: ReelSegment[] = clips.map((file, i) => ({
  file,
  id: `shot-${i}`,
  seam: false,
  transition: cut,
}))
const out = join(root, 'out')
await mkdir(out, { recursive: true })

const results = {
  baseline: [] as number[],
  fast: [] as number[],
  normalize: [] as number[],
  cached: [] as number[],
}
for (let run = 0; run < runs; run++) {
  // Interleaved so drifting machine load hits every variant alike.
  results.baseline.push(await time(() => bareConcat(clips, join(out, 'bare.mp4'))))
  results.fast.push(
    await time(async () => {
      const reel = await assembleReel({
        segments,
        output: { file: join(out, 'fast.mp4'), fit: 'contain', transition: cut },
        workDir: join(root, 'work-fast'),
      })
      if (reel.method !== 'stream-copy') throw new Error(`expected the stream-copy path, got ${reel.method}`)
    }),
  )
  if (run >= normalizeRuns) continue
  const work = join(root, 'work-normalize')
  await rm(work, { recursive: true, force: true })
  const normalizing = {
    segments,
    output: {
      file: join(out, 'normalized.mp4'),
      width: 1280,
      height: 720,
      fps: 25,
      fit: 'contain',
      transition: cut,
    },
    workDir: work,
  } as const
  results.normalize.push(await time(() => assembleReel(normalizing)))
  results.cached.push(await time(() => assembleReel(normalizing)))
}

const [bareFrames, fastFrames] = await Promise.all([
  countFrames(join(out, 'bare.mp4')),
  countFrames(join(out, 'fast.mp4')),
])
const base = median(results.baseline)
const row = (name: string, values: number[]): string => tableRow(name, values, base)
console.log(
  `ffmpeg ${installation.version} (${installation.ffmpegSource}); ${CLIPS} clips of 5 s 1280x720 24 fps H.264; ${runs} copy runs, ${normalizeRuns} normalizing runs; frames bare=${bareFrames} fast=${fastFrames}`,
)
console.log('| variant | median | vs baseline | runs |')
console.log('| --- | --- | --- | --- |')
console.log(row('bare `ffmpeg -f concat -safe 0 -i list -c copy` (baseline)', results.baseline))
console.log(row('assembleReel fast path (20 MP4 headers read in JS + concat copy + faststart)', results.fast))
if (normalizeRuns > 0) {
  console.log(row('assembleReel normalizing path (20 mezzanines at 25 fps, cold cache)', results.normalize))
  console.log(row('assembleReel normalizing path, mezzanines cached', results.cached))
}
