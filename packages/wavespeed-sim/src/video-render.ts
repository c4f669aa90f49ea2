import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import pLimit, { type LimitFunction } from 'p-limit'
import { runFfmpeg } from '@storyreel/assembler'

/** Bump when the picture a spec produces changes, so stale cache entries are not reused. */
const RENDER_VERSION = 'v1'
const ZOOM = 0.15
const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/System/Library/Fonts/Supplemental/Arial.ttf',
]

export interface FrameImage {
  readonly bytes: Buffer
  readonly sha256: string
}

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
}

/** Width and height (even, at least 16) of a clip `outputHeight` tall scaled by `scale`, at `aspect` = width / height. */
export function clipSize(outputHeight: number, aspect: number, scale: number): { width: number; height: number } {
  const even = (n: number) => Math.max(16, Math.round(n / 2) * 2)
  const height = even(outputHeight * scale)
  return { width: even(height * aspect), height }
}

function coverFilter(spec: ClipSpec): string {
  return `scale=${spec.width}:${spec.height}:force_original_aspect_ratio=increase,crop=${spec.width}:${spec.height},setsar=1`
}

function promptColour(prompt: string): string {
  const digest = createHash('sha256').update(prompt).digest()
  // Kept mid-dark so the white prompt text stays readable.
  return `0x${[0, 1, 2].map((i) => Math.round(30 + digest[i]! * 0.55).toString(16).padStart(2, '0')).join('')}`
}

function wrap(text: string, perLine: number, maxLines: number): string {
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
  if (lines.length > maxLines) lines.splice(maxLines - 1, lines.length, `${lines[maxLines - 1]!.slice(0, perLine - 3)}...`)
  return lines.join('\n')
}

/** Escapes a value for use inside a filtergraph option (paths we control, but be safe). */
function filterValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "'\\\\\\''").replace(/:/g, '\\:')}'`
}

/** Produces real H.264 clips for predictions, cached on disk by everything that determines their pixels. */
export class VideoRenderer {
  /** Clips actually rendered (cache misses). */
  renders = 0
  readonly #cacheDir: string
  readonly #limit: LimitFunction
  readonly #inFlight = new Map<string, Promise<string>>()
  readonly #font: string | undefined
  readonly #signal: AbortSignal | undefined

  /** `signal` stops every render (the simulator closing); renders are shared between predictions, so none has its own. */
  constructor(options: { cacheDir: string; concurrency?: number; signal?: AbortSignal }) {
    this.#cacheDir = options.cacheDir
    this.#signal = options.signal
    this.#limit = pLimit(options.concurrency ?? availableParallelism())
    this.#font = FONT_CANDIDATES.find((file) => existsSync(file))
  }

  /** Returns the path of the clip for `spec`, rendering it unless an identical one exists. */
  render(spec: ClipSpec): Promise<string> {
    const key = createHash('sha256')
      .update(JSON.stringify([RENDER_VERSION, spec.width, spec.height, spec.fps, spec.duration, spec.start?.sha256, spec.end?.sha256, spec.start ? '' : spec.prompt, this.#font ?? '']))
      .digest('hex')
    const file = join(this.#cacheDir, `${key}.mp4`)
    let pending = this.#inFlight.get(key)
    if (!pending) {
      pending = existsSync(file) ? Promise.resolve(file) : this.#limit(() => this.#renderTo(spec, file))
      pending = pending.finally(() => this.#inFlight.delete(key))
      this.#inFlight.set(key, pending)
    }
    return pending
  }

  async #renderTo(spec: ClipSpec, file: string): Promise<string> {
    await mkdir(this.#cacheDir, { recursive: true })
    const scratch = join(this.#cacheDir, `tmp-${randomBytes(6).toString('hex')}`)
    await mkdir(scratch)
    try {
      const inputArgs: string[] = []
      let graph: string
      if (spec.start) {
        graph = await this.#imageGraph(spec, scratch, inputArgs)
      } else {
        graph = await this.#promptGraph(spec, scratch, inputArgs)
      }
      const frames = Math.round(spec.duration * spec.fps)
      const partial = join(scratch, 'clip.mp4')
      await runFfmpeg(
        ['-y', ...inputArgs, '-filter_complex', graph, '-map', '[v]', '-frames:v', String(frames), '-r', String(spec.fps),
          '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', partial],
        { signal: this.#signal },
      )
      await rename(partial, file)
      this.renders++
      return file
    } finally {
      await rm(scratch, { recursive: true, force: true })
    }
  }

  /** i2v: a slow zoom into the start image whose first frame is the image itself, crossfading to the end image when there is one. */
  async #imageGraph(spec: ClipSpec, scratch: string, inputArgs: string[]): Promise<string> {
    const { width, height, fps, duration } = spec
    const frames = Math.round(duration * fps)
    const startFile = join(scratch, 'start.img')
    await writeFile(startFile, spec.start!.bytes)
    inputArgs.push('-i', startFile)
    const zoom = `zoompan=z='1+${ZOOM}*on/${Math.max(1, frames - 1)}':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=${frames}:s=${width}x${height}:fps=${fps}`
    const main = `[0:v]${coverFilter(spec)},${zoom},format=yuv420p,settb=AVTB`
    if (!spec.end) return `${main}[v]`
    // The end image is held alone for the last `hold` seconds so the final frame is exactly it.
    const fade = Math.min(1.5, duration / 3)
    const hold = Math.min(0.5, duration / 6)
    const endFile = join(scratch, 'end.img')
    await writeFile(endFile, spec.end.bytes)
    inputArgs.push('-loop', '1', '-framerate', String(fps), '-t', String(fade + hold + 1), '-i', endFile)
    return `${main}[a];[1:v]${coverFilter(spec)},fps=${fps},format=yuv420p,settb=AVTB[b];` +
      `[a][b]xfade=transition=fade:duration=${fade}:offset=${duration - fade - hold},format=yuv420p[v]`
  }

  /** t2v: a background coloured from the prompt's hash, a moving square, and the prompt's text. */
  async #promptGraph(spec: ClipSpec, scratch: string, inputArgs: string[]): Promise<string> {
    const { width, height, fps, duration } = spec
    const square = Math.max(8, Math.round(height / 6))
    inputArgs.push(
      '-f', 'lavfi', '-i', `color=c=${promptColour(spec.prompt)}:s=${width}x${height}:r=${fps}:d=${duration}`,
      '-f', 'lavfi', '-i', `color=c=white@0.8:s=${square}x${square}:r=${fps}:d=${duration}`,
    )
    let graph = `[0:v][1:v]overlay=x='(W-w)*t/${duration}':y='(H-h)/2+sin(t*2)*H/4'`
    if (this.#font) {
      const fontSize = Math.max(8, Math.round(height / 18))
      const textFile = join(scratch, 'prompt.txt')
      await writeFile(textFile, wrap(spec.prompt, Math.max(10, Math.floor((width - 16) / (fontSize * 0.6))), 6))
      graph += `,drawtext=fontfile=${filterValue(this.#font)}:textfile=${filterValue(textFile)}:expansion=none:fontsize=${fontSize}` +
        `:fontcolor=white:x=8:y=8:line_spacing=2:box=1:boxcolor=black@0.45`
    }
    return `${graph},format=yuv420p[v]`
  }
}
