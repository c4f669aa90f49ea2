import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { Canvas } from './canvas.ts'
import { AssemblerError } from './errors.ts'
import { type FfmpegPriority, runFfmpeg } from './ffmpeg.ts'
import { writeAtomically } from './internal/temp-file.ts'
import { readTrackHeader, type TrackHeader } from './internal/track-header.ts'
import { videoJoinChain } from './join-plan.ts'
import { MEZZANINE, mezzanineVideoArgs } from './mezzanine-format.ts'
import type { FrameRange, PieceSpec } from './reel-parts.ts'

export interface RenderPieceOptions {
  readonly spec: PieceSpec
  readonly canvas: Canvas
  /** The mezzanines' MOV timescale, so the piece's timestamps are counted in the same units. */
  readonly timescale: number
  readonly workDir: string
  readonly ffmpegVersion: string
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((fraction: number) => void) | undefined
  /** The encode's CPU priority (see FfmpegPriority). */
  readonly priority?: FfmpegPriority | undefined
}

export interface Piece {
  readonly file: string
  readonly frames: number
  readonly header: TrackHeader
  readonly cached: boolean
}

/** Where a piece is kept: a hash of everything that decides its frames, so an unchanged transition is never re-encoded. */
export function pieceFile(
  options: Pick<RenderPieceOptions, 'spec' | 'canvas' | 'timescale' | 'workDir' | 'ffmpegVersion'>,
): string {
  const { spec } = options
  const range = (r: FrameRange | undefined): unknown => r && [r.key, r.from, r.to]
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        MEZZANINE.recipe,
        options.ffmpegVersion,
        options.canvas,
        options.timescale,
        range(spec.outgoing),
        range(spec.incoming),
        spec.join,
      ]),
    )
    .digest('hex')
    .slice(0, 20)
  return join(options.workDir, `piece-${key}.${MEZZANINE.container}`)
}

/**
 * Re-encodes one piece of a reel (see PieceSpec) in the mezzanine format, unless
 * `workDir` already holds it. Each range is read from just before its first frame
 * (an input seek lands on the keyframe before it and decodes forward); the
 * transition is drawn by the same filters as a whole-reel render.
 */
export async function renderPiece(options: RenderPieceOptions): Promise<Piece> {
  const { spec, canvas, signal } = options
  const file = pieceFile(options)
  const found = await readTrackHeader(file).catch(() => undefined)
  if (found) return { file, frames: found.frames, header: found, cached: true }

  const ranges = spec.outgoing ? [spec.outgoing, spec.incoming] : [spec.incoming]
  const inputs = ranges.flatMap((r) => [
    ...(r.from > 0 ? ['-ss', ((r.from - 0.5) / canvas.fps).toFixed(6)] : []),
    '-i',
    r.file,
  ])
  const trims = ranges.map((r, i) => `[${i}:v:0]trim=end_frame=${r.to - r.from}[r${i}]`)
  const graph = spec.outgoing
    ? (() => {
        const chain = videoJoinChain(
          ranges.map((r) => ({ frames: r.to - r.from })),
          [{ type: 'cut', frames: 0 }, spec.join],
          canvas,
          (i) => `r${i}`,
        )
        // Drop the run-up frame: it only puts the transition at the same place in time as in a whole-reel render.
        return [...trims, ...chain.parts, `[${chain.label}]trim=start_frame=1,setpts=PTS-STARTPTS[out]`]
      })()
    : [...trims, '[r0]setpts=PTS-STARTPTS[out]']
  await writeAtomically(file, (temp) =>
    runFfmpeg(
      [
        '-y',
        ...inputs,
        '-filter_complex',
        graph.join(';'),
        '-map',
        '[out]',
        '-an',
        ...mezzanineVideoArgs(canvas, { keyframes: false }),
        '-video_track_timescale',
        String(options.timescale),
        '-f',
        MEZZANINE.container,
        temp,
      ],
      {
        signal,
        priority: options.priority,
        onProgress:
          options.onProgress && ((s) => options.onProgress?.(Math.min(1, (s * canvas.fps) / spec.frames))),
      },
    ),
  )
  const header = await readTrackHeader(file)
  if (!header || header.frames !== spec.frames)
    throw new AssemblerError(
      'FFMPEG_PROBE',
      `A re-encoded piece of the reel came out with ${header?.frames ?? 'no'} frames instead of ${spec.frames}.`,
      { file },
    )
  return { file, frames: header.frames, header, cached: false }
}
