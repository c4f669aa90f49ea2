import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Transition } from '@storyreel/core'
import type { Canvas } from './canvas.ts'
import { renderWholeReel } from './full-render.ts'
import { mapLimit } from './internal/map-limit.ts'
import { writeAtomically } from './internal/temp-file.ts'
import { readTrackHeader, type TrackHeader } from './internal/track-header.ts'
import { type JoinPart, joinParts } from './join-parts.ts'
import { type PlannedJoin, reelFrameCount } from './join-plan.ts'
import { encodeReelAudio } from './mix-audio.ts'
import type { Mezzanine } from './normalize.ts'
import { reelSamples, type SegmentAudio, type Soundtrack } from './reel-audio.ts'
import {
  type PieceSpec,
  planParts,
  type SegmentCut,
  type SegmentParts,
  type SegmentWindow,
  segmentWindow,
} from './reel-parts.ts'
import type { Piece } from './render-piece.ts'
import type { LoudnessMeasurement } from './soundtrack.ts'

export interface WriteReelInput {
  readonly segments: readonly {
    readonly cut: SegmentCut
    readonly transition: Transition
    readonly mezzanine: Mezzanine
  }[]
  readonly canvas: Canvas
  /**
   * The soundtrack for a reel of `samples`, measured (and with `encode`, its finished
   * AAC track made: see encodedSoundtrack); shared with the background of an incremental reel.
   */
  readonly soundtrack?: ((samples: number, encode: boolean) => Promise<Soundtrack>) | undefined
  readonly workDir: string
  readonly out: string
  /** `changes`: re-encode only pieces around transitions and cut points (default); `all`: the whole reel through one graph. */
  readonly reencode: 'changes' | 'all'
  readonly concurrency: number
  /** Makes (or finds) a piece; shared with the background work of an incremental reel. */
  readonly piece: (spec: PieceSpec, onProgress: (fraction: number) => void) => Promise<Piece>
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((stage: 'transitions' | 'loudness' | 'join', fraction: number) => void) | undefined
}

export interface WrittenReel {
  /** `concat`: cuts only, bodies copied; `smart`: transitions re-encoded as pieces, bodies copied; `transitions`: all re-encoded. */
  readonly method: 'concat' | 'smart' | 'transitions'
  readonly frames: number
  /** Frames encoded by this call (pieces that were not cached, or the whole reel). */
  readonly reencoded: number
  /** What the first loudnorm pass measured on the soundtrack, when there was one. */
  readonly soundtrackLoudness?: LoudnessMeasurement | undefined
}

/**
 * Writes the reel from the segments' mezzanines: pieces re-encoded where frames
 * are filtered or a body cannot start on a keyframe, everything else copied, one
 * concat join (see joinParts). Falls back to one whole-reel render when pieces and
 * mezzanines could not be copied together (different parameter sets or timing),
 * or when the join did not come out with the planned frame count.
 */
export async function writeReel(input: WriteReelInput): Promise<WrittenReel> {
  const { segments, canvas, signal } = input
  const { plan, windows, joins, frames, audio, samples } = reelTiming(segments, canvas.fps)
  // The soundtrack (measured, and encoded when the clips add nothing to it) is made while the pieces are.
  const preparing =
    input.soundtrack &&
    (async () => {
      input.onProgress?.('loudness', 0)
      const made = await input.soundtrack!(samples, input.reencode !== 'all' && audio.every((a) => !a.file))
      input.onProgress?.('loudness', 1)
      return made
    })()
  preparing?.catch(() => undefined) // awaited below; a failed piece must not leave it unhandled
  // Clips with audio: the reel's audio is encoded while the pieces are, and the join copies it.
  const mixedAudio =
    input.reencode !== 'all' && audio.some((a) => a.file)
      ? join(input.workDir, `audio-${process.pid}-${randomBytes(4).toString('hex')}.m4a`)
      : undefined
  const mixing = mixedAudio
    ? (async () =>
        encodeReelAudio({ audio, joins, canvas, soundtrack: await preparing, out: mixedAudio, signal }))()
    : undefined
  mixing?.catch(() => undefined) // awaited below, like the soundtrack
  try {
    return await writeParts()
  } finally {
    if (mixedAudio) {
      await mixing?.catch(() => undefined)
      await rm(mixedAudio, { force: true })
    }
  }

  async function writeParts(): Promise<WrittenReel> {
    const whole = async (): Promise<WrittenReel> => {
      const soundtrack = await preparing
      const loudness = soundtrack?.measured && { soundtrackLoudness: soundtrack.measured }
      await writeAtomically(input.out, (temp) =>
        renderWholeReel({
          segments: segments.map((s, i) => ({
            file: s.mezzanine.file,
            audio: s.mezzanine.audio,
            from: windows[i]!.start,
            to: windows[i]!.end,
          })),
          joins,
          canvas,
          soundtrack,
          out: temp,
          signal,
          onProgress: (s) => input.onProgress?.('join', Math.min(1, (s * canvas.fps) / frames)),
        }),
      )
      return { method: 'transitions', frames, reencoded: frames, ...loudness }
    }
    if (input.reencode === 'all') return whole()

    const specs = plan.flatMap((p) => (p.piece ? [p.piece] : []))
    const total = specs.reduce((sum, s) => sum + s.frames, 0)
    let done = 0
    const pieces = await mapLimit(specs, input.concurrency, async (spec) => {
      const piece = await input.piece(spec, (f) =>
        input.onProgress?.('transitions', total && Math.min(1, (done + f * spec.frames) / total)),
      )
      done += spec.frames
      input.onProgress?.('transitions', total && done / total)
      return piece
    })
    const pieceOf = new Map(specs.map((spec, i) => [spec, pieces[i]!]))
    const parts: JoinPart[] = plan.flatMap((p) => [
      ...(p.piece ? [{ file: pieceOf.get(p.piece)!.file, frames: p.piece.frames }] : []),
      ...(p.copy ? [p.copy] : []),
    ])
    const headers = [...segments.map((s) => s.mezzanine.header), ...pieces.map((p) => p.header)]
    if (!copyableTogether(headers)) return whole()

    const soundtrack = await preparing
    await mixing
    try {
      await writeAtomically(input.out, async (temp) => {
        await joinParts({
          parts,
          audio,
          joins,
          canvas,
          soundtrack,
          mixedAudio,
          workDir: input.workDir,
          out: temp,
          signal,
          onProgress: (s) => input.onProgress?.('join', Math.min(1, (s * canvas.fps) / frames)),
        })
        if ((await readTrackHeader(temp))?.frames !== frames) throw new JoinMismatch()
      })
    } catch (error) {
      if (error instanceof JoinMismatch) return whole()
      throw error
    }
    const reencoded = pieces.reduce((sum, p) => sum + (p.cached ? 0 : p.frames), 0)
    const loudness = soundtrack?.measured && { soundtrackLoudness: soundtrack.measured }
    return {
      method: joins.some((j) => j.type !== 'cut') ? 'smart' : 'concat',
      frames,
      reencoded,
      ...loudness,
    }
  }
}

/** What the reel's plan decides before anything is encoded: its parts, windows, joins, length in frames and in samples. */
export interface ReelTiming {
  readonly plan: SegmentParts[]
  readonly windows: readonly SegmentWindow[]
  readonly joins: readonly PlannedJoin[]
  readonly frames: number
  readonly audio: readonly SegmentAudio[]
  readonly samples: number
}

/** The reel's timing from its segments' mezzanine facts alone (frame counts, keyframes, audio files). */
export function reelTiming(
  segments: readonly {
    readonly cut: SegmentCut
    readonly transition: Transition
    readonly mezzanine: Pick<Mezzanine, 'file' | 'key' | 'frames' | 'keyframes' | 'audio'>
  }[],
  fps: number,
): ReelTiming {
  const plan = planParts(
    segments.map((s) => ({ facts: s.mezzanine, cut: s.cut, transition: s.transition })),
    fps,
  ) as SegmentParts[]
  const windows = segments.map((s) => segmentWindow(s.mezzanine.frames, s.cut, fps, s.mezzanine.file))
  // Every transition has a piece; a segment without one is entered by a cut.
  const joins = plan.map((p): PlannedJoin => p.piece?.join ?? { type: 'cut', frames: 0 })
  const frames = reelFrameCount(
    windows.map((w) => w.end - w.start),
    joins,
  )
  const audio = segments.map((s, i) => ({
    file: s.mezzanine.audio,
    from: windows[i]!.start,
    to: windows[i]!.end,
  }))
  return { plan, windows, joins, frames, audio, samples: reelSamples(audio, joins, fps) }
}

/** The join came out with another frame count than planned: render the whole reel instead. */
class JoinMismatch extends Error {}

/** Streams the concat demuxer can copy one after another: same codec, parameter sets, timescale and frame duration, no reordering. */
function copyableTogether(headers: readonly TrackHeader[]): boolean {
  const first = headers[0]
  return (
    first !== undefined &&
    first.parameterSets !== undefined &&
    headers.every(
      (h) =>
        h.codec === first.codec &&
        h.parameterSets === first.parameterSets &&
        h.timescale === first.timescale &&
        h.frameDelta === first.frameDelta &&
        h.constantOrder &&
        h.width === first.width &&
        h.height === first.height,
    )
  )
}
