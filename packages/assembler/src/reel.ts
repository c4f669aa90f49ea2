import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { OutputSpec, Plan, Transition } from '@storyreel/core'
import { resolveCanvas, samplesFor, type Canvas } from './canvas.ts'
import { AssemblerError } from './errors.ts'
import { tryStreamCopy } from './fast-path.ts'
import { mapLimit } from './internal/map-limit.ts'
import { writeAtomically } from './internal/temp-file.ts'
import { FEATURES } from './features.ts'
import { crossfadeMethod, planJoins, reelFrameCount } from './join-plan.ts'
import { locateFfmpeg, requireFeatures } from './locate.ts'
import { joinMezzanines } from './join-mezzanines.ts'
import { normalizeSegment } from './normalize.ts'
import { probeMedia } from './probe.ts'
import { measureSoundtrack, type LoudnessMeasurement } from './soundtrack.ts'

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
  requireFeatures(installation, 'Assembling a reel', FEATURES.reel)
  const file = resolve(output.file)
  await mkdir(options.workDir, { recursive: true })

  const transitions = segments.map((s) => s.transition ?? output.transition)
  const plainCuts = transitions.every((t, i) => i === 0 || t.type === 'cut' || t.duration <= 0)

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
  for (const type of new Set(transitions.filter((t, i) => i > 0 && t.duration > 0).map((t) => t.type)))
    if (type !== 'cut') requireFeatures(installation, `The ${type} transition`, FEATURES[type])
  if (output.audio) requireFeatures(installation, 'A soundtrack', FEATURES.soundtrack)

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

  const soundtrack = output.audio && { ...output.audio, file: resolve(output.audio.file) }
  let soundtrackLoudness: LoudnessMeasurement | undefined
  if (soundtrack) {
    onProgress?.({ stage: 'loudness', fraction: 0 })
    soundtrackLoudness = await measureSoundtrack(soundtrack, samples, signal)
    onProgress?.({ stage: 'loudness', fraction: 1 })
  }
  const method: ReelMethod = joins.some((j) => j.type !== 'cut') ? 'transitions' : 'concat'
  await writeAtomically(file, (temp) =>
    joinMezzanines({
      mezzanines,
      joins,
      canvas,
      crossfadeWith: crossfadeMethod(installation.filters),
      samples,
      soundtrack: soundtrack && { spec: soundtrack, measured: soundtrackLoudness },
      workDir: options.workDir,
      out: temp,
      signal,
      onProgress: (seconds) => onProgress?.({ stage: 'join', fraction: Math.min(1, (seconds * canvas.fps) / frames) }),
    }),
  )
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
