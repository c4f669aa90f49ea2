/**
 * How the camera moves over a still in renderMotionClip. Every move differs from
 * every other one all along the clip, its middle frame included (two straight
 * paths through the centre would meet there), so takes rendered with different
 * moves are told apart at a glance.
 */
export type CameraMove =
  'drift' | 'push-in' | 'pan-left' | 'pull-out' | 'pan-right' | 'tilt-up' | 'tilt-down' | 'push-in-left'

/** Every move, in the order an animatic's takes use them (take 1 drifts, take 2 pushes in, ...). */
export const CAMERA_MOVES: readonly CameraMove[] = [
  'drift',
  'push-in',
  'pan-left',
  'pull-out',
  'pan-right',
  'tilt-up',
  'tilt-down',
  'push-in-left',
]

/** How far past the frame the image is scaled, so the camera has room to travel. */
export const TRAVEL = 1.15

/** A path over the scaled still, as functions of the move's progress `p` (an expression from 0 to 1). */
type Path =
  /** A window of the frame's size sliding over the still; x and y are fractions of the room to travel. */
  | { readonly slide: (p: string) => { readonly x: string; readonly y: string } }
  /** A window narrowing (or widening) from the whole still to the frame's size, anchored at a fraction of the room left. */
  | { readonly zoom: (p: string) => string; readonly anchor: { readonly x: number; readonly y: number } }

const PATHS: Record<CameraMove, Path> = {
  drift: { slide: (p) => ({ x: p, y: `(0.25+0.5*${p})` }) },
  'push-in': { zoom: (p) => `1+${TRAVEL - 1}*${p}`, anchor: { x: 0.5, y: 0.5 } },
  'pan-left': { slide: (p) => ({ x: `(1-${p})`, y: '0' }) },
  'pull-out': { zoom: (p) => `${TRAVEL}-${TRAVEL - 1}*${p}`, anchor: { x: 0.5, y: 0.2 } },
  'pan-right': { slide: (p) => ({ x: p, y: '1' }) },
  'tilt-up': { slide: (p) => ({ x: '0', y: `(1-${p})` }) },
  'tilt-down': { slide: (p) => ({ x: '1', y: p }) },
  'push-in-left': { zoom: (p) => `1+${TRAVEL - 1}*${p}`, anchor: { x: 0, y: 0.5 } },
}

/** True when the move needs ffmpeg's zoompan filter. */
export function zooms(move: CameraMove): boolean {
  return 'zoom' in PATHS[move]
}

export interface MoveGeometry {
  readonly width: number
  readonly height: number
  readonly fps: number
  /** Frames in the clip. */
  readonly frames: number
}

/**
 * A filtergraph chain from `[input]` (one still) to `[output]` (`frames` frames of
 * `width`x`height`): the still is scaled once to cover the frame with room to
 * travel, repeated, and viewed through a moving window: cropped at a moving
 * offset (cheap and jitter-free at this speed) or zoomed with zoompan.
 * `reverse` runs the move backwards (the end image of a crossfade).
 */
export function movingStill(
  input: string,
  output: string,
  move: CameraMove,
  g: MoveGeometry,
  reverse: boolean,
): string {
  const path = PATHS[move]
  // zoompan places its window on whole pixels of its input (pairs of them in 4:2:0); in 4:4:4 at twice
  // the size those steps are small enough that the picture no longer jitters back and forth.
  const oversample = 'zoom' in path ? 2 : 1
  const w = even(g.width * TRAVEL * oversample)
  const h = even(g.height * TRAVEL * oversample)
  const last = Math.max(1, g.frames - 1)
  const still = `[${input}]scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h},setsar=1,loop=loop=${g.frames - 1}:size=1,setpts=N/(${g.fps}*TB),`
  if ('slide' in path) {
    const { x, y } = path.slide(reverse ? `(1-n/${last})` : `n/${last}`)
    return `${still}crop=${g.width}:${g.height}:x='(iw-ow)*${x}':y='(ih-oh)*${y}'[${output}]`
  }
  const z = path.zoom(reverse ? `(1-on/${last})` : `on/${last}`)
  const { x, y } = path.anchor
  return `${still}format=yuv444p,zoompan=z='${z}':x='(iw-iw/zoom)*${x}':y='(ih-ih/zoom)*${y}':d=1:s=${g.width}x${g.height}:fps=${g.fps},setsar=1[${output}]`
}

function even(n: number): number {
  return 2 * Math.round(n / 2)
}
