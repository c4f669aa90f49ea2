import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { OutputSpec } from '@storyreel/core'
import type { Canvas } from './canvas.ts'
import { AssemblerError } from './errors.ts'
import { copyableAsIs, tryStreamCopy } from './fast-path.ts'
import { FEATURES } from './features.ts'
import { BackgroundQueue } from './internal/background-queue.ts'
import { mapLimit } from './internal/map-limit.ts'
import { type FfmpegInstallation, locateFfmpeg, requireFeatures } from './locate.ts'
import { canvasFromClip } from './reel-canvas.ts'
import { ReelJobs } from './reel-jobs.ts'
import { planParts } from './reel-parts.ts'
import type { ReelProgress, ReelResult, ReelShot } from './reel-types.ts'
import { silentTrack } from './silence.ts'
import { reelTiming, writeReel } from './write-reel.ts'

export interface OpenReelOptions {
  /** The reel's segments in order; a segment's `file` may be given here or land later. */
  readonly segments: readonly ReelShot[]
  readonly output: OutputSpec
  /** Where mezzanines and pieces are cached (and found by later runs). Created if missing. */
  readonly workDir: string
  /** Where ffmpeg's capabilities are cached (see locateFfmpeg); default `workDir`. */
  readonly cacheDir?: string | undefined
  /**
   * ffmpeg jobs at once in the background; default 2. They run below normal CPU priority (nice 10), so the
   * render keeps the machine when it needs it and the reel takes what is idle.
   */
  readonly background?: number
  /** Stops the background work (ffmpeg is killed) and any `finish` in progress. */
  readonly signal?: AbortSignal
}

export interface FinishReelOptions {
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((progress: ReelProgress) => void) | undefined
  /** ffmpeg jobs at once for what is left; default 2. */
  readonly concurrency?: number
  /** See AssembleReelOptions.reencode. */
  readonly reencode?: 'changes' | 'all'
}

/** A reel assembled while its clips arrive; see openReel. */
export interface IncrementalReel {
  /**
   * The clip of segment `id` is ready (or was replaced): its mezzanine, and the
   * pieces of the transitions it completes, are made in the background. Returns at once.
   */
  clipLanded(id: string, file: string): void
  /** Waits for background work it needs, makes what is still missing, and writes the reel. */
  finish(options?: FinishReelOptions): Promise<ReelResult>
  /** Resolves when the background has nothing left to do (for the clips landed so far). */
  idle(): Promise<void>
  /** Stops the background work; resolves once no ffmpeg it started is running. */
  close(): Promise<void>
}

/**
 * Opens a reel whose clips land one by one during a render. Each clip is
 * normalized into its mezzanine as it lands, and each transition re-encoded as
 * soon as both its clips are in, in the background at a low CPU priority, so that
 * after the last clip only its own mezzanine, its transitions and the join remain. When the canvas
 * depends on the first segment's clip, work waits for that clip. Everything made
 * is cached in `workDir`, so `assembleReel` later finds it.
 *
 * @example
 * const reel = openReel({ segments: plan.shots.map(({ id, trim, seam, transition }) => ({ id, trim, seam, transition })), output, workDir })
 * onClip((shot, file) => reel.clipLanded(shot, file))
 * const result = await reel.finish({ onProgress })
 */
export function openReel(options: OpenReelOptions): IncrementalReel {
  const { segments, output, workDir } = options
  if (segments.length === 0) throw new AssemblerError('ASM_BAD_INPUT', 'A reel needs at least one segment.')
  const index = new Map(segments.map((s, i) => [s.id, i]))
  if (index.size !== segments.length)
    throw new AssemblerError('ASM_BAD_INPUT', 'Every segment of a reel needs its own id.')
  const files = segments.map((s) => (s.file ? resolve(s.file) : undefined))
  const transitions = segments.map((s) => s.transition ?? output.transition)
  const cuts = segments.map((s) => ({ trim: s.trim, seam: s.seam }))
  // Clips that can be stream-copied as they are need no mezzanine, if the reel is nothing but plain cuts.
  const copyCandidate =
    !output.audio &&
    segments.every(
      (s, i) =>
        !s.seam && !s.trim && (i === 0 || transitions[i]!.type === 'cut' || transitions[i]!.duration <= 0),
    )
  const stop = new AbortController()
  options.signal?.addEventListener('abort', () => stop.abort(options.signal?.reason), { once: true })
  let installation: Promise<FfmpegInstallation> | undefined
  const setup = (): Promise<FfmpegInstallation> =>
    (installation ??= mkdir(workDir, { recursive: true }).then(async () => {
      const found = await locateFfmpeg({ cacheDir: options.cacheDir ?? workDir })
      requireFeatures(found, 'Assembling a reel', FEATURES.reel)
      return found
    }))
  const jobs = new ReelJobs({
    workDir,
    fit: output.fit,
    ffmpegVersion: () => setup().then((found) => found.version),
  })
  const background = new BackgroundQueue(options.background ?? 2, stop.signal)
  // Below normal priority: while clips land, the render's own work (downloads, checks, the chain hand-off) goes first.
  const inBackground = { signal: stop.signal, priority: 'low' } as const
  // The canvas, once it can be known: from the output alone, or with the first segment's clip (per clip: it may be replaced).
  const canvasGiven = Boolean(output.width && output.height && output.fps)
  const canvases = new Map<string, Promise<Canvas>>()
  const canvasOf = (): Promise<Canvas> | undefined => {
    const first = files[0] ?? ''
    if (!canvases.has(first) && (first || canvasGiven)) canvases.set(first, canvasFromClip(output, files[0]))
    return canvases.get(first)
  }

  const soundtrack = output.audio && { ...output.audio, file: resolve(output.audio.file) }
  // A landed clip's mezzanine, then the pieces it completes: those whose neighbours' mezzanines are made too.
  const landed = (i: number): void =>
    background.push(async () => {
      const [canvas, clip] = [await canvasOf(), files[i]]
      if (!canvas || !clip || (copyCandidate && (await copyableAsIs(clip, canvas)))) return
      await jobs.mezzanine(clip, canvas, inBackground)
      const made = segments.map((_, j) => (files[j] ? jobs.finishedMezzanine(files[j], canvas) : undefined))
      const plan = planParts(
        segments.map((_, j) => ({ facts: made[j], cut: cuts[j]!, transition: transitions[j]! })),
        canvas.fps,
      )
      // Every clip's length known, so the reel's is: its soundtrack is measured (and encoded) now, not in the join.
      if (soundtrack && made.every(Boolean)) {
        const timing = reelTiming(
          segments.map((_, j) => ({ cut: cuts[j]!, transition: transitions[j]!, mezzanine: made[j]! })),
          canvas.fps,
        )
        const encode = timing.audio.every((a) => !a.file)
        background.push(() => jobs.soundtrack(soundtrack, timing.samples, encode, stop.signal))
      }
      for (const spec of [plan[i - 1]?.piece, plan[i]?.piece, plan[i + 1]?.piece])
        if (spec) background.push(() => jobs.piece(spec, canvas, inBackground))
    })
  files.forEach((file, i) => file && landed(i))
  // The reel's expected length, from the clips expected: its soundtrack, or the silence under a reel of silent
  // clips, is made for it before any clip lands, so neither is left for the join.
  if (segments.every((s) => s.file || s.expectedSeconds))
    background.push(async () => {
      const canvas = await canvasOf()
      if (!canvas) return
      await setup() // the work folder, and ffmpeg located
      const mezzanines = await Promise.all(
        segments.map((s, i) =>
          s.file
            ? jobs.mezzanine(files[i]!, canvas, inBackground)
            : { file: s.id, key: s.id, frames: Math.round(s.expectedSeconds! * canvas.fps), keyframes: [0] },
        ),
      )
      const timing = reelTiming(
        segments.map((_, j) => ({ cut: cuts[j]!, transition: transitions[j]!, mezzanine: mezzanines[j]! })),
        canvas.fps,
      )
      if (soundtrack)
        await jobs.soundtrack(
          soundtrack,
          timing.samples,
          timing.audio.every((a) => !a.file),
          stop.signal,
        )
      else if (!copyCandidate) await silentTrack(workDir, timing.frames / canvas.fps, stop.signal)
    })

  return {
    clipLanded(id, file) {
      const i = index.get(id)
      if (i === undefined)
        throw new AssemblerError(
          'ASM_BAD_INPUT',
          `The reel has no segment ${id}; its segments are ${[...index.keys()].join(', ')}.`,
        )
      files[i] = resolve(file)
      // A new first clip may change the canvas: every clip's mezzanine then follows it.
      if (i === 0 && !canvasGiven) files.forEach((f, j) => f && landed(j))
      else landed(i)
    },

    async finish(finishOptions = {}) {
      background.pause()
      try {
        return await finishReel(finishOptions)
      } finally {
        background.resume()
      }
    },

    idle: () => background.idle(),

    async close() {
      stop.abort(new AssemblerError('ASM_BAD_INPUT', 'The reel was closed.'))
      await jobs.settled()
    },
  }

  async function finishReel(finishOptions: FinishReelOptions): Promise<ReelResult> {
    const { onProgress } = finishOptions
    const signal = finishOptions.signal ? AbortSignal.any([finishOptions.signal, stop.signal]) : stop.signal
    const missing = segments.filter((_, i) => !files[i]).map((s) => s.id)
    if (missing.length > 0)
      throw new AssemblerError(
        'ASM_BAD_INPUT',
        `No clip for shot ${missing.join(', ')}; render ${missing.length === 1 ? 'it' : 'them'} before assembling the reel.`,
      )
    const found = await setup()
    const out = resolve(output.file)
    const clips = files as string[]
    if (copyCandidate) {
      const copied = await tryStreamCopy(clips, output, out, workDir, {
        signal,
        onProgress: (fraction) => onProgress?.({ stage: 'join', fraction }),
      })
      if (copied) {
        const frames = copied.frames.reduce((a, b) => a + b, 0)
        const perSegment = segments.map((s, i) => ({ id: s.id, frames: copied.frames[i]!, cached: false }))
        return {
          file: out,
          method: 'stream-copy',
          canvas: copied.canvas,
          frames,
          duration: frames / copied.canvas.fps,
          segments: perSegment,
          reencodedFrames: 0,
        }
      }
    }
    const canvas = await canvasOf()!
    // Fail before normalizing anything when this ffmpeg cannot make the requested transitions or mix.
    for (const type of new Set(transitions.filter((t, i) => i > 0 && t.duration > 0).map((t) => t.type)))
      if (type !== 'cut') requireFeatures(found, `The ${type} transition`, FEATURES[type])
    if (output.audio) requireFeatures(found, 'A soundtrack', FEATURES.soundtrack)

    let normalized = 0
    const made = await mapLimit(segments, finishOptions.concurrency ?? 2, async (segment, i) => {
      const report = (f: number): void =>
        onProgress?.({
          stage: 'normalize',
          fraction: (normalized + f) / segments.length,
          segment: segment.id,
        })
      const result = await jobs.mezzanine(clips[i]!, canvas, { signal, onProgress: report })
      normalized++
      report(0)
      return result
    })
    const written = await writeReel({
      segments: segments.map((_, i) => ({ cut: cuts[i]!, transition: transitions[i]!, mezzanine: made[i]! })),
      canvas,
      soundtrack:
        soundtrack &&
        ((samples: number, encode: boolean) => jobs.soundtrack(soundtrack, samples, encode, signal)),
      workDir,
      out,
      reencode: finishOptions.reencode ?? 'changes',
      concurrency: finishOptions.concurrency ?? 2,
      piece: (spec, report) => jobs.piece(spec, canvas, { signal, onProgress: report }),
      signal,
      onProgress: (stage, fraction) => onProgress?.({ stage, fraction }),
    })
    return {
      file: out,
      method: written.method,
      canvas,
      frames: written.frames,
      duration: written.frames / canvas.fps,
      segments: segments.map((s, i) => ({ id: s.id, frames: made[i]!.frames, cached: made[i]!.cached })),
      reencodedFrames: written.reencoded,
      ...(written.soundtrackLoudness && { soundtrackLoudness: written.soundtrackLoudness }),
    }
  }
}
