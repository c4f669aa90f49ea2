import type { Transition } from '@storyreel/core'
import { AssemblerError } from './errors.ts'
import { planJoins, type PlannedJoin } from './join-plan.ts'

/** How a segment is cut from its clip. */
export interface SegmentCut {
  /** Seconds from the clip's start. */
  readonly trim?: { readonly start?: number; readonly end?: number } | undefined
  /** Drop the first frame: it repeats the previous clip's last frame. Ignored when `trim.start` already cuts into the clip. */
  readonly seam: boolean
}

/** Frames `[from, to)` of a mezzanine. */
export interface FrameRange {
  readonly file: string
  /** The mezzanine's key (see Mezzanine), naming its content in piece keys. */
  readonly key: string
  readonly from: number
  readonly to: number
}

/**
 * Frames that are re-encoded: `incoming` (the head of a segment up to its first
 * usable keyframe), after `outgoing` (the tail of the segment before, with one
 * extra frame in front that is drawn and dropped so that the transition's timing
 * matches a whole-reel render) when the two meet in a transition.
 */
export interface PieceSpec {
  readonly outgoing?: FrameRange | undefined
  readonly incoming: FrameRange
  readonly join: PlannedJoin
  /** Frames the piece has. */
  readonly frames: number
}

/** What becomes of one segment: an optional re-encoded piece, then an optional stream-copied body (see planParts). */
export interface SegmentParts {
  readonly piece?: PieceSpec
  readonly copy?: FrameRange
}

/** What the plan needs to know of a segment's mezzanine. */
export interface SegmentFacts {
  readonly file: string
  readonly key: string
  readonly frames: number
  readonly keyframes: readonly number[]
}

export interface SegmentWindow {
  /** Mezzanine frames `[start, end)` the segment uses. */
  readonly start: number
  readonly end: number
}

/** Which frames of a whole-clip mezzanine of `frames` frames at `fps` a segment uses. */
export function segmentWindow(
  frames: number,
  cut: SegmentCut,
  fps: number,
  file = 'the clip',
): SegmentWindow {
  const toFrame = (seconds: number): number => Math.round(Math.round(seconds * fps * 1e6) / 1e6)
  const trimStart = cut.trim?.start ?? 0
  const start = trimStart > 0 ? toFrame(trimStart) : cut.seam ? 1 : 0
  const end = Math.min(cut.trim?.end !== undefined ? toFrame(cut.trim.end) : frames, frames)
  if (!(trimStart >= 0 && end > start))
    throw new AssemblerError(
      'ASM_BAD_INPUT',
      `Trim ${trimStart}–${cut.trim?.end ?? 'end'} s leaves nothing of ${file}, which lasts ${(frames / fps).toFixed(3)} s. Use 0 ≤ start < end ≤ the clip's length.`,
      { file },
    )
  return { start, end }
}

/** Frames of a segment a join re-encodes at its start (`head`) and at the end of the segment before it (`tail`). */
function joinRegions(join: PlannedJoin): { head: number; tail: number } {
  if (join.type === 'crossfade') return { head: join.frames, tail: join.frames }
  if (join.type === 'fade-black')
    return { head: Math.ceil(join.frames / 2), tail: Math.floor(join.frames / 2) }
  return { head: 0, tail: 0 }
}

/**
 * Splits a reel into pieces to re-encode and bodies to copy. Segment i's frames
 * `[start + head, end − tail)` need no filtering; of those, the ones from its first
 * keyframe on are copied and the ones before it are re-encoded with the join's
 * transition into one piece. While clips are still arriving (undefined facts), an
 * entry is undefined when its piece depends on a segment not known yet; when only
 * the next segment is missing, the piece is usually known already (it ends on a
 * keyframe before anything the next transition can take) but `copy` is left out.
 */
export function planParts(
  segments: readonly {
    readonly facts: SegmentFacts | undefined
    readonly cut: SegmentCut
    readonly transition: Transition
  }[],
  fps: number,
): (SegmentParts | undefined)[] {
  const windows = segments.map((s) =>
    s.facts ? segmentWindow(s.facts.frames, s.cut, fps, s.facts.file) : undefined,
  )
  const joinAt = (i: number): PlannedJoin | undefined => {
    if (i <= 0 || i >= segments.length) return { type: 'cut', frames: 0 }
    const [before, after] = [windows[i - 1], windows[i]]
    if (!before || !after) return undefined
    return planJoins(
      [
        { frames: before.end - before.start, transition: segments[i - 1]!.transition },
        { frames: after.end - after.start, transition: segments[i]!.transition },
      ],
      fps,
    )[1]
  }
  return segments.map((segment, i) => {
    const [facts, window, entering, leaving] = [segment.facts, windows[i], joinAt(i), joinAt(i + 1)]
    const previous = segments[i - 1]?.facts
    const previousWindow = windows[i - 1]
    if (!facts || !window || !entering || (entering.type !== 'cut' && (!previous || !previousWindow)))
      return undefined
    const bodyStart = window.start + joinRegions(entering).head
    // Without the next segment the leaving transition's length is not known, only bounded (by its duration and by half this segment).
    const bodyEnd = leaving
      ? window.end - joinRegions(leaving).tail
      : window.end - longestTail(segments[i + 1]?.transition, window, fps)
    const keyframe = facts.keyframes.find((k) => k >= bodyStart) ?? Number.POSITIVE_INFINITY
    if (!leaving && keyframe >= bodyEnd) return undefined
    const copyFrom = Math.min(keyframe, bodyEnd)
    const copy =
      leaving && copyFrom < bodyEnd
        ? { copy: { file: facts.file, key: facts.key, from: copyFrom, to: bodyEnd } }
        : {}
    if (entering.type === 'cut' && copyFrom === window.start) return copy
    const incoming = { file: facts.file, key: facts.key, from: window.start, to: copyFrom }
    if (entering.type === 'cut')
      return { piece: { incoming, join: entering, frames: copyFrom - window.start }, ...copy }
    const tail = joinRegions(entering).tail
    // One frame more than the tail: drawn as the transition's run-up and dropped (see PieceSpec).
    const outgoing = {
      file: previous!.file,
      key: previous!.key,
      from: previousWindow!.end - tail - 1,
      to: previousWindow!.end,
    }
    const frames = tail + (copyFrom - window.start) - (entering.type === 'crossfade' ? entering.frames : 0)
    return { piece: { outgoing, incoming, join: entering, frames }, ...copy }
  })
}

/** The most frames a transition into the next segment can take from the end of `window` (planJoins clamps it to half the segment). */
function longestTail(transition: Transition | undefined, window: SegmentWindow, fps: number): number {
  if (!transition || transition.type === 'cut') return 0
  const frames = Math.min(Math.floor((window.end - window.start) / 2), Math.round(transition.duration * fps))
  return joinRegions({ type: transition.type, frames }).tail
}
