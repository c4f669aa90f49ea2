/**
 * Joining 20 five-second 720p clips: a bare `ffmpeg -f concat -c copy` (baseline)
 * against assembleReel's stream-copy fast path, its normalizing path (every clip
 * re-encoded to a new canvas), and a re-run of the latter with its mezzanines cached.
 *
 *   pnpm exec tsx packages/assembler/bench/join.ts [copyRuns=7] [normalizeRuns=2]
 *
 * Clips are generated once into the system temp folder and reused.
 */
import { mkdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { assembleReel, countFrames, locateFfmpeg, runFfmpeg, type ReelSegment } from '../src/index.ts'
import { concatListLine } from '../src/internal/escape.ts'

const CLIPS = 20
const runs = Number(process.argv[2] ?? 7)
const normalizeRuns = Number(process.argv[3] ?? 2)
const root = join(tmpdir(), 'storyreel-bench-join-v1')
const clipsDir = join(root, 'clips')
const cut = { type: 'cut', duration: 0 } as const

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  )
}

async function generateClips(): Promise<string[]> {
  await mkdir(clipsDir, { recursive: true })
  const files: string[] = []
  for (let i = 0; i < CLIPS; i++) {
    const file = join(clipsDir, `clip-${String(i).padStart(2, '0')}.mp4`)
    if (!(await exists(file))) {
      const tmp = `${file}.tmp.mp4`
      await runFfmpeg(['-y', '-f', 'lavfi', '-i', `testsrc2=s=1280x720:r=24,hue=h=${i * 18},trim=end_frame=120`, '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', tmp])
      await import('node:fs/promises').then((fs) => fs.rename(tmp, file))
    }
    files.push(file)
  }
  return files
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const began = performance.now()
  await fn()
  return performance.now() - began
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

const installation = await locateFfmpeg()
const clips = await generateClips()
const segments: ReelSegment[] = clips.map((file, i) => ({ file, id: `shot-${i}`, seam: false, transition: cut }))
const list = join(root, 'list.txt')
await writeFile(list, clips.map(concatListLine).join('\n') + '\n')
const out = join(root, 'out')
await mkdir(out, { recursive: true })

const results = { baseline: [] as number[], fast: [] as number[], normalize: [] as number[], cached: [] as number[] }
for (let run = 0; run < runs; run++) {
  // Interleaved so drifting machine load hits every variant alike.
  results.baseline.push(await time(() => runFfmpeg(['-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', join(out, 'bare.mp4')])))
  results.fast.push(
    await time(async () => {
      const reel = await assembleReel({ segments, output: { file: join(out, 'fast.mp4'), fit: 'contain', transition: cut }, workDir: join(root, 'work-fast') })
      if (reel.method !== 'stream-copy') throw new Error(`expected the stream-copy path, got ${reel.method}`)
    }),
  )
  if (run >= normalizeRuns) continue
  const work = join(root, 'work-normalize')
  await rm(work, { recursive: true, force: true })
  const normalizing = { segments, output: { file: join(out, 'normalized.mp4'), width: 1280, height: 720, fps: 25, fit: 'contain', transition: cut }, workDir: work } as const
  results.normalize.push(await time(() => assembleReel(normalizing)))
  results.cached.push(await time(() => assembleReel(normalizing)))
}

const [bareFrames, fastFrames] = await Promise.all([countFrames(join(out, 'bare.mp4')), countFrames(join(out, 'fast.mp4'))])
const base = median(results.baseline)
const row = (name: string, values: number[]): string =>
  `| ${name} | ${(median(values) / 1000).toFixed(3)} s | ${(median(values) / base).toFixed(2)}x | ${values.map((v) => (v / 1000).toFixed(2)).join(', ')} |`
console.log(`ffmpeg ${installation.version} (${installation.ffmpegSource}); ${CLIPS} clips of 5 s 1280x720 24 fps H.264; ${runs} copy runs, ${normalizeRuns} normalizing runs; frames bare=${bareFrames} fast=${fastFrames}`)
console.log('| variant | median | vs baseline | runs |')
console.log('| --- | --- | --- | --- |')
console.log(row('bare `ffmpeg -f concat -safe 0 -i list -c copy` (baseline)', results.baseline))
console.log(row('assembleReel fast path (20 MP4 headers read in JS + concat copy + faststart)', results.fast))
if (normalizeRuns > 0) {
  console.log(row('assembleReel normalizing path (20 mezzanines at 25 fps, cold cache)', results.normalize))
  console.log(row('assembleReel normalizing path, mezzanines cached', results.cached))
}
