import { createHash } from 'node:crypto'
import type { OutputSize } from './models.ts'

const ZOOM = 0.15
/** How opaque a later take's tint is by the clip's end (it starts fully transparent). */
const TAKE_TINT_ALPHA = 0.5

export interface ClipSpec {
  readonly width: number
  readonly height: number
  readonly fps: number
  /** Seconds; the clip has exactly duration * fps frames. */
  readonly duration: number
  /** i2v: the first frame. */
  readonly start?: FrameImage
  /** i2v: the last frame, reached by a crossfade. */
  readonly end?: FrameImage
  /** t2v: drawn on a background coloured from its hash. */
  readonly prompt: string
  /**
   * Which take of an identical request this is, from 0. Take 0 is the plain render;
   * later takes head elsewhere and tint in (i2v) or change colour and direction (t2v),
   * as a real model gives a different clip each time.
   */
  readonly take: number
}

export interface FrameImage {
  readonly bytes: Buffer
  readonly sha256: string
}

/** Files a clip's graph reads, written by the renderer beforehand. */
export interface ClipFiles {
  readonly start?: string
  readonly end?: string
  /** The wrapped prompt text, for drawtext (t2v with a font). */
  readonly text?: string
  readonly font?: string
}

/** ffmpeg input arguments and one filtergraph chain producing `[label]`, for a clip whose inputs start at index `firstInput`. */
export interface ClipGraph {
  readonly inputs: string[]
  readonly graph: string
}

/** Width and height (even, at least 16) of a model's output scaled by `scale`, at `aspect` = width / height. */
export function clipSize(
  output: OutputSize,
  aspect: number,
  scale: number,
): { width: number; height: number } {
  const even = (n: number) => Math.max(16, Math.round(n / 2) * 2)
  const outputHeight = 'height' in output ? output.height : Math.sqrt(output.pixels / aspect)
  const height = even(outputHeight * scale)
  return { width: even(height * aspect), height }
}

export function frameCount(spec: ClipSpec): number {
  return Math.round(spec.duration * spec.fps)
}

/** Escapes a value for use inside a filtergraph option. */
function filterValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "'\\\\\\''").replace(/:/g, '\\:')}'`
}

function cover(spec: ClipSpec): string {
  return `scale=${spec.width}:${spec.height}:force_original_aspect_ratio=increase,crop=${spec.width}:${spec.height},setsar=1`
}

/**
 * Where the camera heads, as fractions of the free margin, taken from the prompt:
 * a real model's motion follows the prompt, so an edited prompt must change the
 * clip (and its last frame, which the next shot in a chain starts from).
 */
function promptFocus(prompt: string, take: number): { x: number; y: number } {
  const digest = createHash('sha256')
    .update(take === 0 ? `focus:${prompt}` : `focus:${prompt}\0take ${take}`)
    .digest()
  return { x: digest[0]! / 255, y: digest[1]! / 255 }
}

function promptColour(prompt: string, take: number): string {
  const digest = createHash('sha256')
    .update(take === 0 ? prompt : `${prompt}\0take ${take}`)
    .digest()
  // Kept mid-dark so the white prompt text stays readable.
  return `0x${[0, 1, 2]
    .map((i) =>
      Math.round(30 + digest[i]! * 0.55)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`
}

/** The prompt broken into at most `maxLines` lines of `perLine` characters, for drawtext. */
export function wrapPrompt(text: string, perLine: number, maxLines: number): string {
  const lines: string[] = []
  let line = ''
  for (const word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    if (line && line.length + 1 + word.length > perLine) {
      lines.push(line)
      line = ''
    }
    line = line ? `${line} ${word}` : word.slice(0, perLine)
  }
  if (line) lines.push(line)
  if (lines.length > maxLines)
    lines.splice(maxLines - 1, lines.length, `${lines[maxLines - 1]!.slice(0, perLine - 3)}...`)
  return lines.join('\n')
}

export function promptFontSize(spec: ClipSpec): number {
  return Math.max(8, Math.round(spec.height / 18))
}

/**
 * i2v: a slow zoom into the start image, towards a point the prompt (and take) decides, whose first frame is the image itself,
 * crossfading to the end image when there is one (held alone for the last half
 * second, so the final frame is exactly it). Later takes also tint in a colour from nothing.
 * t2v: a background coloured from the prompt's (and take's) hash, a moving square, and the prompt's text.
 */
export function clipGraph(spec: ClipSpec, files: ClipFiles, firstInput: number, label: string): ClipGraph {
  return files.start
    ? imageClipGraph(spec, { ...files, start: files.start }, firstInput, label)
    : textClipGraph(spec, files, firstInput, label)
}

function imageClipGraph(
  spec: ClipSpec,
  files: ClipFiles & { start: string },
  firstInput: number,
  label: string,
): ClipGraph {
  const { width, height, fps, duration, take } = spec
  const frames = frameCount(spec)
  const inputs = ['-i', files.start]
  const focus = promptFocus(spec.prompt, take)
  // At zoom 1 the margin is 0, so the first frame is the whole start image whatever the prompt.
  const zoom = `zoompan=z='1+${ZOOM}*on/${Math.max(1, frames - 1)}':x='(iw-iw/zoom)*${focus.x.toFixed(3)}':y='(ih-ih/zoom)*${focus.y.toFixed(3)}':d=${frames}:s=${width}x${height}:fps=${fps}`
  let main = `[${firstInput}:v]${cover(spec)},${zoom},format=yuv420p,settb=AVTB`
  let next = firstInput + 1
  if (take > 0) {
    // Transparent on the first frame, so the clip still starts exactly on the input image.
    inputs.push(
      '-f',
      'lavfi',
      '-i',
      `color=c=${promptColour(spec.prompt, take)}@${TAKE_TINT_ALPHA}:s=${width}x${height}:r=${fps}:d=${duration}`,
    )
    main +=
      `[${label}m];[${next}:v]format=yuva420p,fade=t=in:st=0:d=${duration}:alpha=1,settb=AVTB[${label}t];` +
      `[${label}m][${label}t]overlay=format=auto,format=yuv420p`
    next++
  }
  if (!files.end) return { inputs, graph: `${main}[${label}]` }
  const fade = Math.min(1.5, duration / 3)
  const hold = Math.min(0.5, duration / 6)
  inputs.push('-loop', '1', '-framerate', String(fps), '-t', String(fade + hold + 1), '-i', files.end)
  // The end image fades in over the motion through its alpha, then holds: what xfade's fade does, but with
  // filters the 2018 static ffmpeg that npm installs on a machine without ffmpeg also has.
  return {
    inputs,
    graph:
      `${main}[${label}a];[${next}:v]${cover(spec)},fps=${fps},format=yuva420p,` +
      `fade=t=in:st=0:d=${fade}:alpha=1,settb=AVTB,setpts=PTS+${duration - fade - hold}/TB[${label}b];` +
      `[${label}a][${label}b]overlay=format=auto,format=yuv420p[${label}]`,
  }
}

function textClipGraph(spec: ClipSpec, files: ClipFiles, firstInput: number, label: string): ClipGraph {
  const { width, height, fps, duration, take } = spec
  const square = Math.max(8, Math.round(height / 6))
  const inputs = [
    '-f',
    'lavfi',
    '-i',
    `color=c=${promptColour(spec.prompt, take)}:s=${width}x${height}:r=${fps}:d=${duration}`,
    '-f',
    'lavfi',
    '-i',
    `color=c=white@0.8:s=${square}x${square}:r=${fps}:d=${duration}`,
  ]
  // Odd takes move the square the other way.
  const x = take % 2 === 1 ? `(W-w)*(1-t/${duration})` : `(W-w)*t/${duration}`
  let graph = `[${firstInput}:v][${firstInput + 1}:v]overlay=x='${x}':y='(H-h)/2+sin(t*2)*H/4'`
  if (files.text && files.font) {
    graph +=
      `,drawtext=fontfile=${filterValue(files.font)}:textfile=${filterValue(files.text)}:expansion=none:fontsize=${promptFontSize(spec)}` +
      ':fontcolor=white:x=8:y=8:line_spacing=2:box=1:boxcolor=black@0.45'
  }
  return { inputs, graph: `${graph},format=yuv420p[${label}]` }
}
