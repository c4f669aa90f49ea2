import type { Transition, TransitionType } from '@storyreel/core'
import { samplesFor, type Canvas } from './canvas.ts'

/** How the reel enters a segment, resolved to whole frames. */
export interface PlannedJoin {
  readonly type: TransitionType
  /** Transition length in frames, after clamping; 0 for a cut. */
  readonly frames: number
}

/**
 * Resolves each segment's entering transition (the first segment's is ignored) to
 * whole frames, clamped to half the shorter of the two segments it joins so that
 * two transitions never overlap inside one segment.
 */
export function planJoins(segments: readonly { frames: number; transition: Transition }[], fps: number): PlannedJoin[] {
  return segments.map((segment, i) => {
    const { type, duration } = segment.transition
    if (i === 0 || type === 'cut' || duration <= 0) return { type: 'cut', frames: 0 }
    const limit = Math.floor(Math.min(segment.frames, segments[i - 1]!.frames) / 2)
    const frames = Math.min(limit, Math.round(duration * fps))
    return frames > 0 ? { type, frames } : { type: 'cut', frames: 0 }
  })
}

/** Frames in the reel: the segments' sum, less each crossfade's overlap (a fade through black keeps the length). */
export function reelFrameCount(segmentFrames: readonly number[], joins: readonly PlannedJoin[]): number {
  return segmentFrames.reduce((sum, n, i) => sum + n - (joins[i]?.type === 'crossfade' ? joins[i].frames : 0), 0)
}

/**
 * How crossfades are drawn: `xfade` (ffmpeg 4.3+), or, for older builds such as the
 * 2018 one shipped on npm, the incoming segment faded in through its alpha channel
 * and `overlay`ed onto the outgoing one. Both blend the same frames.
 */
export type CrossfadeMethod = 'xfade' | 'overlay'

/** `xfade` when the ffmpeg has it, else the overlay construction. */
export function crossfadeMethod(filters: ReadonlySet<string>): CrossfadeMethod {
  return filters.has('xfade') ? 'xfade' : 'overlay'
}

export interface TransitionGraph {
  /** A filter_complex whose inputs are the mezzanines in order (input i = segment i). */
  readonly graph: string
  readonly videoLabel: string
  readonly audioLabel: string
}

/**
 * Builds one filtergraph joining mezzanines with cuts (concat), crossfades
 * (xfade + acrossfade at offset = running length − T) and fades through black
 * (the outgoing segment fades out over its last T/2, the incoming one in over
 * its first T/2). Lengths are counted in frames and samples so offsets are exact.
 */
export function buildTransitionGraph(
  segments: readonly { frames: number; samples: number }[],
  joins: readonly PlannedJoin[],
  canvas: Canvas,
  crossfadeWith: CrossfadeMethod = 'xfade',
): TransitionGraph {
  const parts: string[] = []
  const seconds = (frames: number): string => (frames / canvas.fps).toFixed(6)
  const onFrameGrid = frameGridPts(canvas.frameRate)
  segments.forEach((segment, i) => {
    const video = ['settb=AVTB', 'setpts=PTS-STARTPTS']
    const audio = ['asetpts=PTS-STARTPTS']
    const entering = joins[i]
    const leaving = joins[i + 1]
    if (entering?.type === 'fade-black') {
      const half = Math.ceil(entering.frames / 2)
      video.push(`fade=t=in:start_frame=0:nb_frames=${half}`)
      audio.push(`afade=t=in:ss=0:ns=${samplesFor(half, canvas.fps)}`)
    }
    if (leaving?.type === 'fade-black') {
      const half = Math.floor(leaving.frames / 2)
      video.push(`fade=t=out:start_frame=${segment.frames - half}:nb_frames=${half}`)
      const ns = samplesFor(half, canvas.fps)
      audio.push(`afade=t=out:ss=${segment.samples - ns}:ns=${ns}`)
    }
    parts.push(`[${i}:v]${video.join(',')}[v${i}]`, `[${i}:a]${audio.join(',')}[a${i}]`)
  })
  let video = 'v0'
  let audio = 'a0'
  let frames = segments[0]?.frames ?? 0
  for (let i = 1; i < segments.length; i++) {
    const join = joins[i]!
    const [nextVideo, nextAudio] = [`jv${i}`, `ja${i}`]
    if (join.type === 'crossfade') {
      const offset = frames - join.frames
      parts.push(
        ...(crossfadeWith === 'xfade'
          ? [
              // The offset sits half a frame before the first blended frame: xfade compares it with timestamps rounded to
              // microseconds, and an exact offset let a frame slip through unblended (one frame too many). xfade (5.1) also
              // skips one timestamp near the end of the transition; restamping frame by frame closes that gap.
              `[${video}][v${i}]xfade=transition=fade:duration=${seconds(join.frames)}:offset=${seconds(offset - 0.5)},setpts=N/FRAME_RATE/TB[${nextVideo}]`,
            ]
          : [
              // Both streams are stamped from frame numbers by the same expression, so overlay pairs frame offset + k of
              // the running video with frame k of the incoming one exactly. The running video is held on its last frame
              // (under the by then opaque incoming one) until the incoming one ends, so both end on the same frame.
              `[${video}]tpad=stop_mode=clone:stop=${segments[i]!.frames - join.frames},setpts=${onFrameGrid('N')}[xb${i}]`,
              // The fade starts half a frame early, so frame k is (k + ½)/T opaque: the weights xfade gives it.
              `[v${i}]setpts=${onFrameGrid(`N+${offset}`)},format=yuva420p,fade=t=in:st=${seconds(offset - 0.5)}:d=${seconds(join.frames)}:alpha=1[xo${i}]`,
              `[xb${i}][xo${i}]overlay=format=yuv420[${nextVideo}]`,
            ]),
        `[${audio}][a${i}]acrossfade=ns=${samplesFor(join.frames, canvas.fps)}:c1=tri:c2=tri[${nextAudio}]`,
      )
      frames += segments[i]!.frames - join.frames
    } else {
      parts.push(`[${video}][${audio}][v${i}][a${i}]concat=n=2:v=1:a=1[${nextVideo}][${nextAudio}]`)
      frames += segments[i]!.frames
    }
    ;[video, audio] = [nextVideo, nextAudio]
  }
  return { graph: parts.join(';'), videoLabel: video, audioLabel: audio }
}

/**
 * A setpts expression for frame `n` in microseconds (the graph's time base, AVTB),
 * rounded the same way for every stream it is applied to.
 */
function frameGridPts(frameRate: string): (n: string) => string {
  const [num, den = '1'] = frameRate.split('/')
  return (n) => `round((${n})*1000000*${den}/${num})`
}
