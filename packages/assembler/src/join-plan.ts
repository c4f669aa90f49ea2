import type { Transition, TransitionType } from '@storyreel/core'
import { type Canvas, samplesFor } from './canvas.ts'

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
export function planJoins(
  segments: readonly { frames: number; transition: Transition }[],
  fps: number,
): PlannedJoin[] {
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
  return segmentFrames.reduce(
    (sum, n, i) => sum + n - (joins[i]?.type === 'crossfade' ? joins[i].frames : 0),
    0,
  )
}

/** Graph parts and the label of the stream they end in. */
export interface GraphChain {
  readonly parts: readonly string[]
  readonly label: string
}

/**
 * Joins segments' video with cuts (concat), crossfades at offset = running length
 * − T, and fades through black (the outgoing segment fades out over its last T/2,
 * the incoming one in over its first T/2), counted in frames so offsets are exact.
 * Segment i is read from the label `input(i)`.
 *
 * A crossfade fades the incoming segment in through its alpha channel over the
 * running video, held on its last frame (`tpad`), with `overlay`: every frame stays
 * 4:2:0 and frames outside the transition come out bit for bit as they went in.
 * (`xfade` works in 4:4:4 only, so every frame passing through it lost chroma detail
 * on the way back to 4:2:0, about 35 dB PSNR on saturated edges; it also showed the
 * last 2 of 12 frames unblended, and builds before 4.3 lack it.)
 */
export function videoJoinChain(
  segments: readonly { frames: number }[],
  joins: readonly PlannedJoin[],
  canvas: Canvas,
  input: (i: number) => string,
): GraphChain {
  const parts: string[] = []
  const seconds = (frames: number): string => (frames / canvas.fps).toFixed(6)
  const onFrameGrid = frameGridPts(canvas.frameRate)
  segments.forEach((segment, i) => {
    const video = ['settb=AVTB', 'setpts=PTS-STARTPTS', 'format=yuv420p']
    const [entering, leaving] = [joins[i], joins[i + 1]]
    if (entering?.type === 'fade-black')
      video.push(`fade=t=in:start_frame=0:nb_frames=${Math.ceil(entering.frames / 2)}`)
    if (leaving?.type === 'fade-black') {
      const half = Math.floor(leaving.frames / 2)
      video.push(`fade=t=out:start_frame=${segment.frames - half}:nb_frames=${half}`)
    }
    parts.push(`[${input(i)}]${video.join(',')}[v${i}]`)
  })
  let video = 'v0'
  let frames = segments[0]?.frames ?? 0
  for (let i = 1; i < segments.length; i++) {
    const join = joins[i]!
    const next = `jv${i}`
    if (join.type === 'crossfade') {
      const offset = frames - join.frames
      parts.push(
        // Both streams are stamped from frame numbers by the same expression, so overlay pairs frame offset + k of
        // the running video with frame k of the incoming one exactly. The running video is held on its last frame
        // (under the by then opaque incoming one) until the incoming one ends, so both end on the same frame.
        `[${video}]tpad=stop_mode=clone:stop=${segments[i]!.frames - join.frames},setpts=${onFrameGrid('N')}[xb${i}]`,
        // The fade starts half a frame early, so frame k of T is (k + ½)/T opaque.
        `[v${i}]setpts=${onFrameGrid(`N+${offset}`)},format=yuva420p,fade=t=in:st=${seconds(offset - 0.5)}:d=${seconds(join.frames)}:alpha=1[xo${i}]`,
        `[xb${i}][xo${i}]overlay=format=yuv420[${next}]`,
      )
      frames += segments[i]!.frames - join.frames
    } else {
      parts.push(`[${video}][v${i}]concat=n=2:v=1:a=0[${next}]`)
      frames += segments[i]!.frames
    }
    video = next
  }
  return { parts, label: video }
}

/** The audio joined as videoJoinChain joins the video, in samples: acrossfade, afade through silence, concat. */
export function audioJoinChain(
  segments: readonly { samples: number }[],
  joins: readonly PlannedJoin[],
  canvas: Pick<Canvas, 'fps'>,
  input: (i: number) => string,
): GraphChain {
  const parts: string[] = []
  segments.forEach((segment, i) => {
    const audio = ['asetpts=PTS-STARTPTS']
    const [entering, leaving] = [joins[i], joins[i + 1]]
    if (entering?.type === 'fade-black')
      audio.push(`afade=t=in:ss=0:ns=${samplesFor(Math.ceil(entering.frames / 2), canvas.fps)}`)
    if (leaving?.type === 'fade-black') {
      const ns = samplesFor(Math.floor(leaving.frames / 2), canvas.fps)
      audio.push(`afade=t=out:ss=${segment.samples - ns}:ns=${ns}`)
    }
    parts.push(`[${input(i)}]${audio.join(',')}[a${i}]`)
  })
  let audio = 'a0'
  for (let i = 1; i < segments.length; i++) {
    const join = joins[i]!
    const next = `ja${i}`
    parts.push(
      join.type === 'crossfade'
        ? `[${audio}][a${i}]acrossfade=ns=${samplesFor(join.frames, canvas.fps)}:c1=tri:c2=tri[${next}]`
        : `[${audio}][a${i}]concat=n=2:v=0:a=1[${next}]`,
    )
    audio = next
  }
  return { parts, label: audio }
}

/**
 * A setpts expression for frame `n` in microseconds (the graph's time base, AVTB),
 * rounded the same way for every stream it is applied to.
 */
function frameGridPts(frameRate: string): (n: string) => string {
  const [num, den = '1'] = frameRate.split('/')
  return (n) => `round((${n})*1000000*${den}/${num})`
}
