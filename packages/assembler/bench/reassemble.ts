/**
 * Re-assembling after an edit of the storyboard: one transition's duration, one
 * transition's type, or one shot's trim changed since the last assembly, against a
 * bare `ffmpeg -f concat -c copy` of the same clips (baseline, same run).
 *
 *   pnpm exec tsx packages/assembler/bench/reassemble.ts [runs=5]
 *
 * Two reels of the 5 s 720p clips of join.ts: the 20 clips with cuts and one
 * crossfade, and 12 of them with crossfades (0.5 s) at every join. A warm-up
 * assembly makes the mezzanines and pieces first (as the render would have; pieces
 * left by an earlier invocation are deleted first); each run then edits a
 * different join or shot, so the edited piece is never cached.
 */
import { mkdir, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { OutputSpec, Transition } from '@storyreel/core'
import { assembleReel, countFrames, locateFfmpeg, type ReelSegment } from '../src/index.ts'
import { bareConcat, generateClips, median, root, row, time } from './shared.ts'

const runs = Number(process.argv[2] ?? 5)
const cut: Transition = { type: 'cut', duration: 0 }
const crossfade: Transition = { type: 'crossfade', duration: 0.5 }
const out = join(root, 'out')
const workDir = join(root, 'work-reassemble')
await mkdir(out, { recursive: true })
const output = (file: string): OutputSpec => ({
  file: join(out, file),
  width: 1280,
  height: 720,
  fps: 24,
  fit: 'contain',
  transition: cut,
})

interface Case {
  readonly name: string
  readonly base: ReelSegment[]
  /** The join whose duration each run changes. */
  readonly durationJoin: number
}

const clips = await generateClips(20)
const cases: Case[] = [
  {
    name: '20 clips, cuts and one crossfade',
    base: clips.map((file, i) => ({
      file,
      id: `s${i}`,
      seam: false,
      transition: i === 10 ? crossfade : cut,
    })),
    durationJoin: 10,
  },
  {
    name: '12 clips, crossfades at every join',
    base: clips.slice(0, 12).map((file, i) => ({ file, id: `s${i}`, seam: false, transition: crossfade })),
    durationJoin: 6,
  },
]

const installation = await locateFfmpeg({ cacheDir: workDir })
console.log(
  `ffmpeg ${installation.version} (${installation.ffmpegSource}); clips of 5 s 1280x720 24 fps H.264; ${runs} runs; medians`,
)
for (const { name, base, durationJoin } of cases) {
  const files = base.map((s) => s.file)
  // Pieces from an earlier invocation would make this one's edits cache hits; the mezzanines stay (the render made them).
  for (const name of (await readdir(workDir).catch(() => [])).filter((n) => n.startsWith('piece-')))
    await rm(join(workDir, name))
  await assembleReel({ segments: base, output: output('warm.mp4'), workDir }) // the render's background would have done this
  const edit = (run: number, kind: 'duration' | 'type' | 'trim'): ReelSegment[] => {
    // A different join or shot each run (never join 0), so no run finds its piece cached.
    const target = 1 + ((run * 3 + (kind === 'trim' ? 1 : 0)) % (base.length - 1))
    return base.map((s, i) => {
      if (kind === 'duration' && i === durationJoin)
        return { ...s, transition: { type: 'crossfade', duration: (13 + run) / 24 } }
      if (kind === 'type' && i === target && i !== durationJoin)
        return {
          ...s,
          transition: s.transition?.type === 'cut' ? crossfade : { type: 'fade-black', duration: 0.5 },
        }
      if (kind === 'trim' && i === target) return { ...s, trim: { start: 0.3 } }
      return s
    })
  }
  const results = {
    baseline: [] as number[],
    unchanged: [] as number[],
    duration: [] as number[],
    type: [] as number[],
    trim: [] as number[],
  }
  const encoded: Record<string, number[]> = { duration: [], type: [], trim: [] }
  for (let run = 0; run < runs; run++) {
    // Interleaved so drifting machine load hits every variant alike.
    results.baseline.push(await time(() => bareConcat(files, join(out, 'bare.mp4'))))
    results.unchanged.push(
      await time(() => assembleReel({ segments: base, output: output('same.mp4'), workDir })),
    )
    for (const kind of ['duration', 'type', 'trim'] as const) {
      let frames = 0
      results[kind].push(
        await time(async () => {
          const reel = await assembleReel({
            segments: edit(run, kind),
            output: output(`${kind}.mp4`),
            workDir,
          })
          frames = reel.reencodedFrames
          if (reel.method !== 'smart') throw new Error(`expected a smart join, got ${reel.method}`)
        }),
      )
      encoded[kind]!.push(frames)
    }
  }
  const baseline = median(results.baseline)
  console.log(`\n### ${name} (${await countFrames(join(out, 'trim.mp4'))} frames in the last reel)\n`)
  console.log('| variant | median | vs bare concat | runs (s) |')
  console.log('| --- | --- | --- | --- |')
  console.log(row('bare `ffmpeg -f concat -safe 0 -i list -c copy` (baseline)', results.baseline, baseline))
  console.log(row('`assembleReel`, nothing changed', results.unchanged, baseline))
  console.log(
    row(
      `one transition's duration changed (re-encoded ${median(encoded.duration!)} frames)`,
      results.duration,
      baseline,
    ),
  )
  console.log(
    row(`one transition's type changed (re-encoded ${median(encoded.type!)} frames)`, results.type, baseline),
  )
  console.log(
    row(`one shot's trim changed (re-encoded ${median(encoded.trim!)} frames)`, results.trim, baseline),
  )
}
