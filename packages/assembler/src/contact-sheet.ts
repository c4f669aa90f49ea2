import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AssemblerError } from './errors.ts'
import { FEATURES } from './features.ts'
import { type FfmpegPriority, runFfmpeg } from './ffmpeg.ts'
import { drawtext } from './internal/drawtext.ts'
import { findFont } from './internal/font.ts'
import { mapLimit } from './internal/map-limit.ts'
import { writeAtomically } from './internal/temp-file.ts'
import { extractLastFrame } from './last-frame.ts'
import { locateFfmpeg, requireFeatures } from './locate.ts'

/** One take of a shot, from its frames already extracted (PNG). */
export interface ContactSheetTake {
  readonly take: number
  readonly first: string
  readonly last: string
  /** The take that goes into the reel: drawn with a bright frame and `picked` in its label. */
  readonly picked: boolean
}

/**
 * A shot on the sheet: from its first and last frames already extracted (nothing
 * is decoded), from several takes shown side by side, or from its clip (its first
 * frame is decoded from it, and its last unless `lastFrame` is given).
 */
export type ContactSheetShot =
  | { readonly id: string; readonly first: string; readonly last: string }
  | { readonly id: string; readonly takes: readonly ContactSheetTake[] }
  | { readonly id: string; readonly clip: string; readonly lastFrame?: string }

export interface ContactSheetOptions {
  /** Tiles per row; default up to 3 when every shot has one take, else 1 (a row per shot). */
  readonly columns?: number
  /** Width of one frame in a tile (a take shows two: first and last); default 320. */
  readonly frameWidth?: number
  readonly signal?: AbortSignal
  /** Where ffmpeg's capabilities are cached (see locateFfmpeg). */
  readonly cacheDir?: string | undefined
  readonly onProgress?: (progress: { readonly stage: 'contact-sheet'; readonly fraction: number }) => void
  /** ffmpeg's CPU priority: lower when the sheet is made beside a reel that matters more (see FfmpegPriority). */
  readonly priority?: FfmpegPriority
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
const PICKED = '0xF5C518'
const GAP = 8

/** A take's two frames as ffmpeg inputs: a still image, or the first frame of a clip (`-t` bounds what is read). */
interface Cell {
  readonly first: readonly string[]
  readonly last: string
  readonly label: string
  readonly picked: boolean
}

/**
 * Writes a PNG with one tile per shot: for each of its takes, the first and exact
 * last frame side by side over a band with the shot id (and take); tiles in a grid
 * in the given order. With several takes, each take is framed, the picked one in
 * a bright colour. Degrades to unlabelled tiles when the machine has no font or
 * ffmpeg has no drawtext.
 *
 * @example
 * await contactSheet([{ id: 'opening', first: 'frames/opening.first.png', last: 'frames/opening.last.png' }], 'contact-sheet.png')
 */
export async function contactSheet(
  shots: readonly ContactSheetShot[],
  png: string,
  options: ContactSheetOptions = {},
): Promise<ContactSheetResult> {
  const { signal } = options
  if (shots.length === 0) throw new AssemblerError('ASM_BAD_INPUT', 'contactSheet needs at least one shot.')
  if (shots.some((s) => 'takes' in s && s.takes.length === 0))
    throw new AssemblerError('ASM_BAD_INPUT', 'A shot on the contact sheet has an empty list of takes.')
  const installation = await locateFfmpeg({ cacheDir: options.cacheDir })
  requireFeatures(installation, 'The contact sheet', FEATURES['contact-sheet'])
  options.onProgress?.({ stage: 'contact-sheet', fraction: 0 })
  const font = installation.filters.has('drawtext') ? await findFont() : undefined
  const frameWidth = 2 * Math.round((options.frameWidth ?? 320) / 2)
  const frameHeight = 2 * Math.round((frameWidth * 9) / 16 / 2)
  const band = 2 * Math.round(frameHeight / 12)
  const maxTakes = Math.max(...shots.map((s) => ('takes' in s ? s.takes.length : 1)))
  const withTakes = shots.some((s) => 'takes' in s)
  const border = withTakes ? 4 : 0
  const cellWidth = 2 * frameWidth + 2 * border
  const tileWidth = maxTakes * cellWidth + (maxTakes - 1) * GAP
  const tileHeight = frameHeight + 2 * border + band
  const columns = Math.max(1, Math.min(options.columns ?? (maxTakes > 1 ? 1 : 3), shots.length))
  const rows = Math.ceil(shots.length / columns)

  const work = await mkdtemp(join(tmpdir(), 'storyreel-sheet-'))
  try {
    const tiles = await mapLimit(shots, 2, (shot, i) => cellsOf(shot, join(work, `last-${i}.png`), signal))
    const inputs: string[] = []
    const input = (args: readonly string[]): number => {
      inputs.push(...args)
      return inputs.filter((a) => a === '-i').length - 1
    }
    const fit = `scale=${frameWidth}:${frameHeight}:force_original_aspect_ratio=decrease,pad=${frameWidth}:${frameHeight}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,format=yuv420p`
    const parts: string[] = []
    tiles.forEach((cells, t) => {
      cells.forEach((cell, c) => {
        const [first, last] = [input(cell.first), input(['-i', cell.last])]
        const label = font
          ? `,${drawtext(cell.label, font, { size: band * 0.6, x: `${border + 10}`, y: `h-${band}+(${band}-text_h)/2` })}`
          : ''
        parts.push(
          `[${first}:v:0]trim=end_frame=1,setpts=PTS-STARTPTS,${fit}[f${t}_${c}];[${last}:v:0]${fit}[l${t}_${c}]`,
          `[f${t}_${c}][l${t}_${c}]hstack=inputs=2,pad=iw+${2 * border}:ih+${2 * border}:${border}:${border}:color=${cell.picked ? PICKED : BACKGROUND},` +
            `pad=iw:ih+${band}:0:0:color=${BACKGROUND}${label}[c${t}_${c}]`,
        )
      })
      // Takes side by side, a gap between them; every tile padded to the widest, as `tile` needs equal frames.
      const row = cells.map((_, c) => {
        if (c === cells.length - 1) return `[c${t}_${c}]`
        parts.push(`[c${t}_${c}]pad=iw+${GAP}:ih:0:0:color=${BACKGROUND}[s${t}_${c}]`)
        return `[s${t}_${c}]`
      })
      parts.push(
        `${row.join('')}${row.length > 1 ? `hstack=inputs=${row.length},` : ''}pad=${tileWidth}:${tileHeight}:0:0:color=${BACKGROUND}[t${t}]`,
      )
    })
    const all = tiles.map((_, t) => `[t${t}]`).join('')
    const graph = `${parts.join(';')};${all}concat=n=${tiles.length}:v=1:a=0,tile=${columns}x${rows}:padding=${GAP}:margin=${GAP}:color=${BACKGROUND}[sheet]`
    await writeAtomically(png, (temp) =>
      runFfmpeg(
        [
          '-y',
          ...inputs,
          '-filter_complex',
          graph,
          '-map',
          '[sheet]',
          '-frames:v',
          '1',
          '-f',
          'image2',
          '-c:v',
          'png',
          temp,
        ],
        { signal, priority: options.priority },
      ),
    )
  } finally {
    await rm(work, { recursive: true, force: true })
  }
  options.onProgress?.({ stage: 'contact-sheet', fraction: 1 })
  return {
    file: png,
    columns,
    rows,
    labelled: font !== undefined,
    width: columns * tileWidth + (columns + 1) * GAP,
    height: rows * tileHeight + (rows + 1) * GAP,
  }
}

/** A shot's cells: one per take, from frames, or from its clip (extracting its last frame into `lastPng` when not given). */
async function cellsOf(
  shot: ContactSheetShot,
  lastPng: string,
  signal: AbortSignal | undefined,
): Promise<Cell[]> {
  if ('takes' in shot)
    return shot.takes.map((t) => ({
      first: ['-i', t.first],
      last: t.last,
      label: `${shot.id} · take ${t.take}${t.picked ? ' · picked' : ''}`,
      picked: t.picked,
    }))
  if ('first' in shot) return [{ first: ['-i', shot.first], last: shot.last, label: shot.id, picked: false }]
  if (!shot.lastFrame) await extractLastFrame(shot.clip, lastPng, signal ? { signal } : {})
  // -t bounds how much of the clip is read: only its first frame is used.
  return [
    { first: ['-t', '0.5', '-i', shot.clip], last: shot.lastFrame ?? lastPng, label: shot.id, picked: false },
  ]
}
