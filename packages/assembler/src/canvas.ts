import type { OutputSpec } from '@storyreel/core'
import { AssemblerError } from './errors.ts'
import type { VideoStreamInfo } from './probe.ts'

/** The frame every segment is normalized to. */
export interface Canvas {
  readonly width: number
  readonly height: number
  /** As given to ffmpeg's `fps` filter (`24/1`, `30000/1001`, `25`). */
  readonly frameRate: string
  readonly fps: number
}

/**
 * The output's width/height/fps, each missing one taken from the first clip
 * (as displayed, after rotation); a single given side keeps the first clip's aspect.
 * Sides are rounded down to even numbers, which yuv420p/x264 require.
 */
export function resolveCanvas(
  output: Pick<OutputSpec, 'width' | 'height' | 'fps'>,
  first: Pick<VideoStreamInfo, 'displayWidth' | 'displayHeight' | 'frameRate' | 'fps'>,
): Canvas {
  const aspect = first.displayWidth / first.displayHeight
  const width = output.width ?? (output.height !== undefined ? output.height * aspect : first.displayWidth)
  const height = output.height ?? (output.width !== undefined ? output.width / aspect : first.displayHeight)
  const even = (n: number): number => Math.max(2, 2 * Math.floor(n / 2))
  const canvas = {
    width: even(width),
    height: even(height),
    frameRate: output.fps !== undefined ? String(output.fps) : first.frameRate,
    fps: output.fps ?? first.fps,
  }
  if (!(canvas.fps > 0 && canvas.fps <= 240))
    throw new AssemblerError(
      'ASM_BAD_INPUT',
      `The reel's frame rate ${canvas.fps} is out of range; set output.fps between 1 and 240.`,
    )
  return canvas
}

/** Audio sample rate of every mezzanine and of the reel. */
export const SAMPLE_RATE = 48000

/** Samples of audio that last exactly `frames` frames at `fps`. */
export function samplesFor(frames: number, fps: number): number {
  return Math.round((frames * SAMPLE_RATE) / fps)
}
