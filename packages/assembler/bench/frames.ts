/**
 * A clip's first and last frames: the two ffmpeg runs storyreel used before
 * extractFrames (the scheduler's first-frame grab, and extractLastFrame's seek
 * that encoded every frame of the last second as PNG) against extractFrames'
 * one run, and verifyClip, which decodes every frame and writes both frames.
 *
 *   pnpm exec tsx packages/assembler/bench/frames.ts [runs=9]
 *
 * The clip (5 s 1280x720 24 fps H.264, a keyframe every second) is generated once into the temp folder.
 */
import { mkdir, rename, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { extractFrames, locateFfmpeg, runFfmpeg, verifyClip } from '../src/index.ts'

const runs = Number(process.argv[2] ?? 9)
const root = join(tmpdir(), 'storyreel-bench-frames-v1')
const clip = join(root, 'clip.mp4')
const out = (name: string): string => join(root, name)

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

await mkdir(root, { recursive: true })
if (!(await stat(clip).catch(() => undefined))) {
  await runFfmpeg([
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=s=1280x720:r=24:d=5',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-g',
    '24',
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
    `${clip}.tmp.mp4`,
  ])
  await rename(`${clip}.tmp.mp4`, clip)
}
const installation = await locateFfmpeg()
const png = [
  '-sws_flags',
  'bicubic+accurate_rnd+full_chroma_int',
  '-pix_fmt',
  'rgb24',
  '-f',
  'image2',
  '-c:v',
  'png',
]

/** What the scheduler and extractLastFrame ran before: a first-frame grab, then a seek to 1 s before the end with every frame written. */
async function before(): Promise<void> {
  await runFfmpeg([
    '-y',
    '-i',
    clip,
    '-map',
    '0:v:0',
    '-an',
    '-frames:v',
    '1',
    '-pix_fmt',
    'rgb24',
    '-f',
    'image2',
    '-c:v',
    'png',
    out('before.first.png'),
  ])
  await runFfmpeg([
    '-y',
    '-ss',
    '4.000000',
    '-i',
    clip,
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-dn',
    '-vsync',
    'passthrough',
    ...png,
    '-update',
    '1',
    out('before.last.png'),
  ])
}

const results = { before: [] as number[], extract: [] as number[], verify: [] as number[] }
for (let run = 0; run < runs; run++) {
  // Interleaved so drifting machine load hits every variant alike.
  results.before.push(await time(before))
  results.extract.push(
    await time(() => extractFrames(clip, { first: out('extract.first.png'), last: out('extract.last.png') })),
  )
  results.verify.push(
    await time(() =>
      verifyClip(clip, {
        expectedDuration: 5,
        frames: { first: out('verify.first.png'), last: out('verify.last.png') },
      }),
    ),
  )
}

const base = median(results.before)
const row = (name: string, values: number[]): string =>
  `| ${name} | ${(median(values) / 1000).toFixed(3)} s | ${(median(values) / base).toFixed(2)}x | ${values.map((v) => (v / 1000).toFixed(2)).join(', ')} |`
console.log(
  `ffmpeg ${installation.version} (${installation.ffmpegSource}); 5 s 1280x720 24 fps H.264, keyframe every 24 frames; ${runs} runs`,
)
console.log('| variant | median | vs baseline | runs (s) |')
console.log('| --- | --- | --- | --- |')
console.log(
  row('before: first-frame grab + seek writing every frame of the last second (baseline)', results.before),
)
console.log(row('`extractFrames(clip, { first, last })` (probe + one ffmpeg run)', results.extract))
console.log(
  row(
    '`verifyClip(clip, { expectedDuration, frames })` (probe + every frame decoded, both PNGs)',
    results.verify,
  ),
)
