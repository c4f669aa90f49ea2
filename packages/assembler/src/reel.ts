import { mkdir, rm } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { OutputSpec, Plan, Transition } from '@storyreel/core'
import { SAMPLE_RATE, resolveCanvas, samplesFor, type Canvas } from './canvas.ts'
import { AssemblerError } from './errors.ts'
import { CONTAINER, tryStreamCopy, writeConcatList } from './fast-path.ts'
import { runFfmpeg } from './ffmpeg.ts'
import { mapLimit } from './internal/map-limit.ts'
import { writeAtomically } from './internal/temp-file.ts'
import { buildTransitionGraph, planJoins, reelFrameCount, type PlannedJoin } from './join-plan.ts'
import { locateFfmpeg, requireFeatures } from './locate.ts'
import { bt709Tags, normalizeSegment, type Mezzanine } from './normalize.ts'
import { probeMedia } from './probe.ts'
import { measureSoundtrack, mixChain, soundtrackChain, soundtrackInput, type LoudnessMeasurement } from './soundtrack.ts'

export interface ReelSegment {
  /** The shot's clip. */
  readonly file: string
  /** The shot id, for progress and errors. */
  readonly id: string
  readonly trim?: { readonly start?: number; readonly end?: number } | undefined
  /** The clip starts on the previous clip's last frame: drop its first frame. */
  readonly seam: boolean
  /** How the reel enters this segment; ignored for the first. Defaults to `output.transition`. */
  readonly transition?: Transition | undefined
}

export type ReelStage = 'probe' | 'normalize' | 'loudness' | 'join'

export interface ReelProgress {
  readonly stage: ReelStage
  /** 0–1 for the stage. */
  readonly fraction: number
  /** The segment being normalized. */
  readonly segment?: string
}

export interface AssembleReelOptions {
  readonly segments: readonly ReelSegment[]
  /** `file` is absolute or relative to the working directory; `audio.file` likewise. */
  readonly output: OutputSpec
  /** Where mezzanines are cached between runs. Created if missing. */
  readonly workDir: string
  readonly signal?: AbortSignal
  readonly onProgress?: (progress: ReelProgress) => void
  /** Segments normalized at once; default 2 (x264 is multi-threaded already). */
  readonly concurrency?: number
}

/** Which way the reel was made: stream copy of the clips, cuts of mezzanines, or one transition graph. */
export type ReelMethod = 'stream-copy' | 'concat' | 'transitions'

export interface ReelResult {
  readonly file: string
  readonly method: ReelMethod
  readonly canvas: Canvas
  /** Video frames in the reel, as planned (sum of segments less crossfades). */
  readonly frames: number
  readonly duration: number
  readonly segments: readonly { readonly id: string; readonly frames: number; readonly cached: boolean }[]
  /** What the first loudnorm pass measured on the soundtrack, when there was one. */
  readonly soundtrackLoudness?: LoudnessMeasurement
}

/**
 * Stitches clips into one reel. Clips that already match (and plain cuts, no trim,
 * no seam, no soundtrack) are joined by stream copy; otherwise each segment is
 * normalized into a cached mezzanine and joined by the concat demuxer (cuts) or one
 * filtergraph (crossfades, fades through black), with an optional soundtrack mixed
 * under. Written to a temporary name, then renamed; `+faststart`.
 *
 * @example
 * await assembleReel({ segments: reelSegments(plan, clips), output: { ...plan.output, file: 'out/reel.mp4' }, workDir: 'out/.work' })
 */
export async function assembleReel(options: AssembleReelOptions): Promise<ReelResult> {
  const { segments, output, signal, onProgress } = options
  if (segments.length === 0) throw new AssemblerError('ASM_BAD_INPUT', 'assembleReel needs at least one segment.')
  const installation = await locateFfmpeg()
  requireFeatures(installation, 'Assembling a reel', { encoders: ['libx264', 'aac'] })
  const file = resolve(output.file)
  await mkdir(options.workDir, { recursive: true })

  const transitions = segments.map((s) => s.transition ?? output.transition)
  const plainCuts = segments.every((s, i) => i === 0 || transitions[i]!.type === 'cut' || transitions[i]!.duration <= 0)

  if (plainCuts && !output.audio && segments.every((s) => !s.seam && !s.trim)) {
    const copied = await tryStreamCopy(
      segments.map((s) => resolve(s.file)),
      output,
      file,
      options.workDir,
      { signal, onProgress: (fraction) => onProgress?.({ stage: 'join', fraction }) },
    )
    if (copied) {
      const frames = copied.frames.reduce((a, b) => a + b, 0)
      return {
        file,
        method: 'stream-copy',
        canvas: copied.canvas,
        frames,
        duration: frames / copied.canvas.fps,
        segments: segments.map((s, i) => ({ id: s.id, frames: copied.frames[i]!, cached: false })),
      }
    }
  }

  let probed = 0
  const infos = await mapLimit(segments, 4, async (segment) => {
    const info = await probeMedia(segment.file, { signal })
    if (!info.video) throw new AssemblerError('ASM_BAD_INPUT', `The clip of shot ${segment.id} (${segment.file}) has no video stream.`, { file: segment.file })
    onProgress?.({ stage: 'probe', fraction: ++probed / segments.length })
    return info
  })
  const canvas = resolveCanvas(output, infos[0]!.video!)

  // Fail before normalizing anything when this ffmpeg cannot make the requested transitions or mix.
  const declared = transitions.map((t, i) => (i === 0 || t.duration <= 0 ? { type: 'cut' as const, frames: 0 } : { type: t.type, frames: 1 }))
  if (!plainCuts) requireFeatures(installation, describeTransitions(declared), { filters: neededFilters(declared) })
  if (output.audio) requireFeatures(installation, 'A soundtrack', { filters: ['loudnorm', 'amerge', 'pan', 'afade', 'apad'] })

  let normalized = 0
  const mezzanines = await mapLimit(segments, options.concurrency ?? 2, async (segment, i) => {
    const mezzanine = await normalizeSegment({
      info: infos[i]!,
      cut: segment,
      canvas,
      fit: output.fit,
      workDir: options.workDir,
      ffmpegVersion: installation.version,
      signal,
      onProgress: (f) => onProgress?.({ stage: 'normalize', fraction: (normalized + f) / segments.length, segment: segment.id }),
    })
    onProgress?.({ stage: 'normalize', fraction: ++normalized / segments.length, segment: segment.id })
    return mezzanine
  })
  const joins = planJoins(
    mezzanines.map((m, i) => ({ frames: m.frames, transition: transitions[i]! })),
    canvas.fps,
  )
  const frames = reelFrameCount(
    mezzanines.map((m) => m.frames),
    joins,
  )
  const samples =
    mezzanines.reduce((sum, m) => sum + m.samples, 0) -
    joins.reduce((sum, j) => sum + (j.type === 'crossfade' ? samplesFor(j.frames, canvas.fps) : 0), 0)

  let soundtrackLoudness: LoudnessMeasurement | undefined
  if (output.audio) {
    onProgress?.({ stage: 'loudness', fraction: 0 })
    soundtrackLoudness = await measureSoundtrack({ ...output.audio, file: resolve(output.audio.file) }, samples, signal)
    onProgress?.({ stage: 'loudness', fraction: 1 })
  }
  const soundtrack = output.audio && { spec: { ...output.audio, file: resolve(output.audio.file) }, measured: soundtrackLoudness }
  const method: ReelMethod = joins.some((j) => j.type !== 'cut') ? 'transitions' : 'concat'
  const reportJoin = (seconds: number): void => onProgress?.({ stage: 'join', fraction: Math.min(1, (seconds * canvas.fps) / frames) })

  await writeAtomically(file, async (temp) => {
    if (method === 'concat') {
      const list = await writeConcatList(mezzanines.map((m) => m.file), options.workDir)
      const inputs = ['-f', 'concat', '-safe', '0', '-i', list, ...(soundtrack ? soundtrackInput(soundtrack.spec) : [])]
      const audio = soundtrack
        ? ['-filter_complex', `${soundtrackChain('1:a:0', 'bed', soundtrack.spec, samples, soundtrack.measured)};${mixChain('0:a:0', 'bed', 'mix')}`, '-map', '[mix]']
        : ['-map', '0:a:0']
      try {
        await runFfmpeg(['-y', ...inputs, '-map', '0:v:0', ...audio, '-c:v', 'copy', ...AUDIO_OUT, ...CONTAINER, temp], { signal, onProgress: reportJoin })
      } finally {
        await rm(list, { force: true })
      }
    } else {
      const { graph, videoLabel, audioLabel } = buildTransitionGraph(mezzanines, joins, canvas)
      const bedIndex = mezzanines.length
      const fullGraph = soundtrack
        ? `${graph};${soundtrackChain(`${bedIndex}:a:0`, 'bed', soundtrack.spec, samples, soundtrack.measured)};${mixChain(audioLabel, 'bed', 'mix')}`
        : graph
      await runFfmpeg(
        [
          '-y',
          ...mezzanines.flatMap((m) => ['-i', m.file]),
          ...(soundtrack ? soundtrackInput(soundtrack.spec) : []),
          '-filter_complex',
          fullGraph,
          '-map',
          `[${videoLabel}]`,
          '-map',
          soundtrack ? '[mix]' : `[${audioLabel}]`,
          ...FINAL_VIDEO,
          ...AUDIO_OUT,
          ...CONTAINER,
          temp,
        ],
        { signal, onProgress: reportJoin },
      )
    }
  })
  return {
    file,
    method,
    canvas,
    frames,
    duration: frames / canvas.fps,
    segments: segments.map((s, i) => ({ id: s.id, frames: mezzanines[i]!.frames, cached: mezzanines[i]!.cached })),
    ...(soundtrackLoudness && { soundtrackLoudness }),
  }
}

const AUDIO_OUT = ['-c:a', 'aac', '-b:a', '192k', '-ar', String(SAMPLE_RATE)]
// Passthrough: the graph's timestamps are already exact; ffmpeg's default cfr sync appends a duplicate last frame when audio is mapped.
const FINAL_VIDEO = ['-vsync', 'passthrough', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', ...bt709Tags()]

function neededFilters(joins: readonly PlannedJoin[]): string[] {
  const filters = new Set(['concat', 'settb'])
  for (const join of joins) {
    if (join.type === 'crossfade') filters.add('xfade').add('acrossfade')
    if (join.type === 'fade-black') filters.add('fade').add('afade')
  }
  return [...filters]
}

function describeTransitions(joins: readonly PlannedJoin[]): string {
  const types = [...new Set(joins.map((j) => j.type).filter((t) => t !== 'cut'))]
  return `The ${types.join(' and ')} transition${types.length > 1 ? 's' : ''}`
}

/**
 * The reel's segments for a plan, in storyboard order, from a map of shot id to
 * its rendered clip.
 */
export function reelSegments(plan: Pick<Plan, 'shots'>, clips: ReadonlyMap<string, string> | Readonly<Record<string, string>>): ReelSegment[] {
  const clipOf = (id: string): string | undefined => (clips instanceof Map ? clips.get(id) : (clips as Readonly<Record<string, string>>)[id])
  return [...plan.shots]
    .sort((a, b) => a.index - b.index)
    .map((shot) => {
      const file = clipOf(shot.id)
      if (!file) throw new AssemblerError('ASM_BAD_INPUT', `No clip for shot ${shot.id}; render it before assembling the reel.`)
      return { file, id: shot.id, trim: shot.trim, seam: shot.seam, transition: shot.transition }
    })
}
