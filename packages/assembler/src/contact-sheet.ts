import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AssemblerError } from './errors.ts'
import { runFfmpeg } from './ffmpeg.ts'
import { drawtext } from './internal/drawtext.ts'
import { findFont } from './internal/font.ts'
import { mapLimit } from './internal/map-limit.ts'
import { writeAtomically } from './internal/temp-file.ts'
import { extractLastFrame } from './last-frame.ts'
import { FEATURES } from './features.ts'
import { locateFfmpeg, requireFeatures } from './locate.ts'

export interface ContactSheetShot {
  readonly id: string
  readonly clip: string
  /** The clip's last frame as a PNG, when already extracted (e.g. for chaining); otherwise it is extracted here. */
  readonly lastFrame?: string
}

export interface ContactSheetOptions {
  /** Tiles per row; default up to 3. */
  readonly columns?: number
  /** Width of one frame in a tile (a tile holds two: first and last); default 320. */
  readonly frameWidth?: number
  readonly signal?: AbortSignal
}

export interface ContactSheetResult {
  readonly file: string
  readonly columns: number
  readonly rows: number
  /** False when no font or no drawtext filter was available: tiles are then unlabelled. */
  readonly labelled: boolean
  readonly width: number
  readonly height: number
}

const BACKGROUND = '0x181818'
const GAP = 8

/**
 * Writes a PNG with one tile per shot: its first and exact last frame side by side
 * over a band with its id, tiles in a grid in the given order. Degrades to
 * unlabelled tiles when the machine has no font or ffmpeg has no drawtext.
 *
 * @example
 * await contactSheet([{ id: 'opening', clip: 'shots/opening.mp4' }], 'contact-sheet.png')
 */
export async function contactSheet(
  shots: readonly ContactSheetShot[],
  png: string,
  options: ContactSheetOptions = {},
): Promise<ContactSheetResult> {
  const { signal } = options
  if (shots.length === 0) throw new AssemblerError('ASM_BAD_INPUT', 'contactSheet needs at least one shot.')
  const installation = await locateFfmpeg()
  requireFeatures(installation, 'The contact sheet', FEATURES['contact-sheet'])
  const font = installation.filters.has('drawtext') ? await findFont() : undefined
  const frameWidth = 2 * Math.round((options.frameWidth ?? 320) / 2)
  const frameHeight = 2 * Math.round((frameWidth * 9) / 16 / 2)
  const band = 2 * Math.round(frameHeight / 12)
  const columns = Math.max(1, Math.min(options.columns ?? 3, shots.length))
  const rows = Math.ceil(shots.length / columns)

  const work = await mkdtemp(join(tmpdir(), 'storyreel-sheet-'))
  try {
    const lastFrames = await mapLimit(shots, 2, async (shot, i) => {
      if (shot.lastFrame) return shot.lastFrame
      const file = join(work, `last-${i}.png`)
      await extractLastFrame(shot.clip, file, { signal })
      return file
    })
    const fit = `scale=${frameWidth}:${frameHeight}:force_original_aspect_ratio=decrease,pad=${frameWidth}:${frameHeight}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,format=yuv420p`
    const parts = shots.map((shot, i) => {
      const label = font ? `,${drawtext(shot.id, font, { size: band * 0.6, x: '10', y: `h-${band}+(${band}-text_h)/2` })}` : ''
      return (
        `[${2 * i}:v:0]trim=end_frame=1,setpts=PTS-STARTPTS,${fit}[f${i}];[${2 * i + 1}:v:0]${fit}[l${i}];` +
        `[f${i}][l${i}]hstack=inputs=2,pad=iw:ih+${band}:0:0:color=${BACKGROUND}${label}[t${i}]`
      )
    })
    const tiles = shots.map((_, i) => `[t${i}]`).join('')
    const graph = `${parts.join(';')};${tiles}concat=n=${shots.length}:v=1:a=0,tile=${columns}x${rows}:padding=${GAP}:margin=${GAP}:color=${BACKGROUND}[sheet]`
    // -t bounds how much of each clip is read: only its first frame is used.
    const inputs = shots.flatMap((shot, i) => ['-t', '0.5', '-i', shot.clip, '-i', lastFrames[i]!])
    await writeAtomically(png, (temp) =>
      runFfmpeg(['-y', ...inputs, '-filter_complex', graph, '-map', '[sheet]', '-frames:v', '1', '-f', 'image2', '-c:v', 'png', temp], { signal }),
    )
  } finally {
    await rm(work, { recursive: true, force: true })
  }
  return {
    file: png,
    columns,
    rows,
    labelled: font !== undefined,
    width: columns * 2 * frameWidth + (columns + 1) * GAP,
    height: rows * (frameHeight + band) + (rows + 1) * GAP,
  }
}
