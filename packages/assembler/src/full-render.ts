import type { Canvas } from './canvas.ts'
import { CONTAINER } from './fast-path.ts'
import { runFfmpeg } from './ffmpeg.ts'
import { type PlannedJoin, videoJoinChain } from './join-plan.ts'
import { mezzanineVideoArgs } from './mezzanine-format.ts'
import { AUDIO_OUT, reelAudio, type SegmentAudio, type Soundtrack } from './reel-audio.ts'

export interface FullRenderOptions {
  /** Each segment: its mezzanine and the frames `[from, to)` it uses. */
  readonly segments: readonly {
    readonly file: string
    readonly audio?: string | undefined
    readonly from: number
    readonly to: number
  }[]
  readonly joins: readonly PlannedJoin[]
  readonly canvas: Canvas
  readonly soundtrack?: Soundtrack | undefined
  readonly out: string
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((outputSeconds: number) => void) | undefined
}

/**
 * The whole reel through one filter graph and one encode, with the mezzanine
 * encoder's settings: what a smart join must equal, and what is done when one is
 * not possible (mezzanines whose parameter sets differ).
 */
export async function renderWholeReel(options: FullRenderOptions): Promise<void> {
  const { segments, canvas } = options
  const trims = segments.map((s, i) => `[${i}:v:0]trim=start_frame=${s.from}:end_frame=${s.to}[sv${i}]`)
  const video = videoJoinChain(
    segments.map((s) => ({ frames: s.to - s.from })),
    options.joins,
    canvas,
    (i) => `sv${i}`,
  )
  const audioSegments: SegmentAudio[] = segments.map((s) => ({ file: s.audio, from: s.from, to: s.to }))
  const audio = reelAudio(audioSegments, options.joins, canvas, segments.length, options.soundtrack)
  await runFfmpeg(
    [
      '-y',
      ...segments.flatMap((s) => ['-i', s.file]),
      ...audio.inputs,
      '-filter_complex',
      [...trims, ...video.parts, audio.graph].join(';'),
      '-map',
      `[${video.label}]`,
      '-map',
      `[${audio.label}]`,
      ...mezzanineVideoArgs(canvas, { keyframes: false }),
      ...AUDIO_OUT,
      ...CONTAINER,
      options.out,
    ],
    { signal: options.signal, onProgress: options.onProgress },
  )
}
