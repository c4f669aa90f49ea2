import { createHash } from 'node:crypto'
import { type CameraMove, movingStill, zooms } from './camera-moves.ts'
import { AssemblerError } from './errors.ts'
import { FEATURES } from './features.ts'
import { runFfmpeg } from './ffmpeg.ts'
import { drawtext, wrapText } from './internal/drawtext.ts'
import { findFont } from './internal/font.ts'
import { writeAtomically } from './internal/temp-file.ts'
import { locateFfmpeg, requireFeatures } from './locate.ts'
import { mezzanineVideoArgs } from './mezzanine-format.ts'

export interface MotionClipOptions {
  /** Image the camera moves over; without it the clip is a card with `prompt`. */
  readonly start?: string | undefined
  /** Image the clip crossfades to over its second half. */
  readonly end?: string | undefined
  /**
   * How the camera moves over the images; default `drift`. A card has no picture
   * to move over, so each move gives it its own colours instead.
   */
  readonly move?: CameraMove | undefined
  /** Text of a card (no `start`); also seeds the card's colours. */
  readonly prompt?: string | undefined
  /** Drawn on every frame in an opaque bar across the top (e.g. `ANIMATIC · shot-3`); omitted means no bar. */
  readonly label?: string | undefined
  /** Drawn in an opaque bar across the bottom (e.g. the prompt of an image-to-video shot), at most two lines. */
  readonly caption?: string | undefined
  /** Seconds; the clip has exactly round(duration × fps) frames. */
  readonly duration: number
  readonly fps: number
  readonly width: number
  readonly height: number
  /** MP4 to write (atomically). */
  readonly out: string
  /** x264 preset; default `ultrafast`. */
  readonly preset?: string
  /**
   * Write the clip as a mezzanine (see MEZZANINE) of this size instead of a quick preview encode:
   * drawn at `width`×`height`, scaled to it, at `fps`. A reel on that canvas then copies the clip
   * as it is instead of normalizing it (`preset` does not apply).
   */
  readonly mezzanine?: { readonly width: number; readonly height: number } | undefined
  readonly signal?: AbortSignal | undefined
}

/**
 * Renders a clip locally with ffmpeg: a slow camera move over `start` (see
 * `CameraMove`), crossfading to `end` when given; or, with no image, a card showing
 * `prompt` over a drifting gradient whose colours come from the prompt's hash.
 *
 * @example
 * await renderMotionClip({ start: 'a.png', duration: 5, fps: 24, width: 640, height: 360, out: 'a.mp4', label: 'ANIMATIC · a' })
 */
export async function renderMotionClip(options: MotionClipOptions): Promise<void> {
  const { fps, width, height } = options
  const frames = Math.round(options.duration * fps)
  if (!(frames > 0 && width >= 16 && height >= 16 && width % 2 === 0 && height % 2 === 0))
    throw new AssemblerError(
      'ASM_BAD_INPUT',
      `renderMotionClip needs a positive duration and even width/height of at least 16 (got ${options.duration} s, ${width}x${height}).`,
    )
  const installation = await locateFfmpeg()
  const move = options.move ?? 'drift'
  const drawsText = Boolean(options.label) || Boolean(options.caption) || !options.start
  const filters = FEATURES.animatic.filters.filter(
    (f) =>
      (drawsText || (f !== 'drawtext' && f !== 'drawbox')) &&
      (f !== 'zoompan' || (options.start && zooms(move))),
  )
  requireFeatures(installation, 'The animatic renderer', { ...FEATURES.animatic, filters })
  const font = drawsText ? await findFont() : undefined
  if (drawsText && !font)
    throw new AssemblerError(
      'ASM_ANIMATIC',
      'No font found for labelling animatic frames. Install one (Debian/Ubuntu: apt-get install fonts-dejavu-core).',
    )

  const inputs: string[] = []
  let graph: string
  if (options.start) {
    // -framerate sets the stream's rate, which the encoder takes for the output's.
    inputs.push('-framerate', String(fps), '-i', options.start)
    const geometry = { width, height, fps, frames }
    graph = movingStill('0:v', 'start', move, geometry, false)
    if (options.end) {
      inputs.push('-framerate', String(fps), '-i', options.end)
      const half = (frames / 2 / fps).toFixed(6)
      graph += `;${movingStill('1:v', 'endpan', move, geometry, true)};[endpan]format=yuva420p,fade=t=in:st=${half}:d=${half}:alpha=1[end];[start][end]overlay=shortest=1[base]`
    } else graph = graph.replace('[start]', '[base]')
  } else {
    graph = card(options.prompt ?? '', move, frames, options, font!)
  }
  const bars = [
    ...(options.label ? [bar(options.label, font!, 'top', options)] : []),
    ...(options.caption ? [bar(options.caption, font!, 'bottom', options)] : []),
  ]
  const scaled = options.mezzanine
    ? `,scale=${options.mezzanine.width}:${options.mezzanine.height}:flags=bicubic:out_color_matrix=bt709:out_range=tv,setsar=1`
    : ''
  graph += `;[base]trim=end_frame=${frames},setsar=1${bars.map((b) => `,${b}`).join('')}${scaled},format=yuv420p[out]`
  const encode = options.mezzanine
    ? mezzanineVideoArgs({ fps }, { keyframes: true })
    : ['-c:v', 'libx264', '-preset', options.preset ?? 'ultrafast', '-crf', '23', '-pix_fmt', 'yuv420p']

  await writeAtomically(options.out, (temp) =>
    runFfmpeg(
      [
        '-y',
        ...inputs,
        '-filter_complex',
        graph,
        '-map',
        '[out]',
        '-frames:v',
        String(frames),
        ...encode,
        '-movflags',
        '+faststart',
        '-f',
        'mp4',
        temp,
      ],
      { signal: options.signal },
    ),
  )
}

/** A gradient between two colours from the prompt's hash (and the move's, but for the default), drifting slowly, with the prompt centred on it. */
function card(prompt: string, move: CameraMove, frames: number, o: MotionClipOptions, font: string): string {
  const hash = createHash('sha256')
    .update(move === 'drift' ? prompt : `${prompt}\n${move}`)
    .digest()
  const [r1, g1, b1, r2, g2, b2] = [...hash.subarray(0, 6)].map((byte) => 40 + (byte % 140))
  const mix = (a: number, b: number): string => `${a}+(${b}-${a})*clip(X/W+0.25*sin(T*0.6),0,1)`
  const duration = (frames / o.fps + 1).toFixed(3)
  // DejaVu Sans averages about 0.6 em per character; leave a margin either side.
  const lines = wrapText(prompt, Math.max(12, Math.floor((o.width * 0.85) / ((o.height / 16) * 0.6))), 6)
  const text = drawtext(lines, font, { size: o.height / 16, x: '(w-text_w)/2', y: '(h-text_h)/2' })
  return (
    `nullsrc=s=32x18:r=${o.fps}:d=${duration},format=gbrp,geq=r='${mix(r1!, r2!)}':g='${mix(g1!, g2!)}':b='${mix(b1!, b2!)}',` +
    `scale=${o.width}:${o.height}:flags=bicubic,format=yuv420p,${text}[base]`
  )
}

/**
 * Text in an opaque full-width bar. Opaque and full-width on purpose: a chained shot
 * starts from the previous clip's last frame, bars included, and the camera move
 * shifts that frame by less than a bar's height, so the new bar always covers the old.
 */
function bar(text: string, font: string, edge: 'top' | 'bottom', o: MotionClipOptions): string {
  const size = o.height / 20
  const lines =
    edge === 'top' ? text : wrapText(text, Math.max(12, Math.floor((o.width * 0.94) / (size * 0.6))), 2)
  const height = Math.ceil((lines.split('\n').length * 1.25 + 0.6) * size)
  const y = edge === 'top' ? 0 : o.height - height
  return (
    `drawbox=x=0:y=${y}:w=iw:h=${height}:color=0x101010:t=fill,` +
    drawtext(lines, font, {
      size,
      x: edge === 'top' ? String(Math.round(size / 2)) : '(w-text_w)/2',
      y: `${y}+(${height}-text_h)/2`,
    })
  )
}
