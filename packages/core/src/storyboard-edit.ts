import { randomUUID } from 'node:crypto'
import { chmod, realpath, rename, rm, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { type Document, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml'
import { CoreError, invalidStoryboardError } from './errors.ts'
import { describeTakes, MAX_TAKES } from './pick-check.ts'
import { readStoryboardFile } from './storyboard-file.ts'
import { didYouMean } from './suggest.ts'
import { parseYamlSource, type YamlSource } from './yaml-source.ts'

export interface PickEdit {
  /** The storyboard with the pick written; the same text when `changed` is false. */
  readonly text: string
  /** 1-based line of the `pick:` written. */
  readonly line: number
  /** The take the shot had picked before (1 when it said nothing). */
  readonly previous: number
  /** False when the storyboard already said `pick: TAKE`. */
  readonly changed: boolean
}

/**
 * Writes `pick: take` into shot `shotId` of a storyboard's text, changing exactly
 * one line: an existing `pick:` value in place, else a new line after the shot's
 * `takes:` (or its last key) at its indentation, or `, pick: N` at the end of a
 * flow mapping. Comments, key order, quoting and line ends stay as they are.
 * Picking take 1 writes `pick: 1` (the default, but the file then says what was
 * picked). Throws a CoreError: CORE_UNKNOWN_SHOT, CORE_PICK_OUT_OF_RANGE (take
 * not in 1..takes), CORE_INVALID_STORYBOARD (the text is not a storyboard).
 */
export function setPick(
  text: string,
  shotId: string,
  take: number,
  options: { file?: string } = {},
): PickEdit {
  const file = options.file ?? 'storyboard'
  const { source, issues, fatal } = parseYamlSource(text, file)
  if (fatal) throw invalidStoryboardError(file, issues)
  const { shot, index } = findShot(source.doc, shotId)
  const takes = takesOf(shot, source.doc, shotId)
  if (!Number.isInteger(take) || take < 1 || take > takes) {
    const more = takes === 1 ? '; set takes on the shot to render more than one' : ''
    throw new CoreError(
      'CORE_PICK_OUT_OF_RANGE',
      `shot "${shotId}" has ${describeTakes(takes)}, so take ${take} cannot be picked${more}`,
    )
  }
  const existing = shot.items.find((pair) => keyIs(pair, 'pick'))
  const previous =
    existing && isScalar(existing.value) && typeof existing.value.value === 'number'
      ? existing.value.value
      : 1
  const edited = existing
    ? replaceValue(text, existing, take)
    : shot.flow
      ? appendToFlow(text, shot, take)
      : addLine(text, shot, take)
  if (edited === text)
    return { text, line: source.locate(['shots', index, 'pick']).line, previous, changed: false }
  const after = verified(source.data, edited, index, take, file)
  return { text: edited, line: after.locate(['shots', index, 'pick']).line, previous, changed: true }
}

/**
 * `setPick` on a file: read (a regular UTF-8 file of at most 1 MB), edit, and
 * written back atomically (a temporary file renamed over the real one, symlinks
 * followed, mode kept), so an editor or a crash never sees half a storyboard.
 */
export async function pickInFile(
  file: string,
  shotId: string,
  take: number,
  options: { cwd?: string } = {},
): Promise<PickEdit> {
  const absolute = resolve(options.cwd ?? process.cwd(), file)
  const read = await readStoryboardFile(file, absolute)
  if (!read.ok) throw invalidStoryboardError(file, read.issues)
  const edit = setPick(read.text, shotId, take, { file })
  if (!edit.changed) return edit
  const target = await realpath(absolute)
  const temporary = join(dirname(target), `.${basename(target)}.${randomUUID().slice(0, 8)}.tmp`)
  try {
    await writeFile(temporary, edit.text, { flag: 'wx' })
    await chmod(temporary, (await stat(target)).mode & 0o7777)
    await rename(temporary, target)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
  return edit
}

const keyIs = (pair: Pair, name: string) => isScalar(pair.key) && pair.key.value === name

function findShot(doc: Document.Parsed, shotId: string): { shot: YAMLMap; index: number } {
  const shots = doc.get('shots', true)
  const items = isSeq(shots) ? shots.items : []
  const ids: string[] = []
  for (const [index, item] of items.entries()) {
    if (!isMap(item)) continue
    const id = item.get('id')
    if (id === shotId) return { shot: item, index }
    if (typeof id === 'string') ids.push(id)
  }
  const listing = ids.length > 10 ? `${ids.slice(0, 10).join(', ')}, ...` : ids.join(', ')
  throw new CoreError(
    'CORE_UNKNOWN_SHOT',
    `no shot has the id "${shotId}"${didYouMean(shotId, ids) || `; the shots are ${listing}`}`,
  )
}

/** The shot's own `takes`, else the default's, else 1. */
function takesOf(shot: YAMLMap, doc: Document.Parsed, shotId: string): number {
  const takes = shot.get('takes') ?? doc.getIn(['defaults', 'takes']) ?? 1
  if (Number.isInteger(takes) && (takes as number) >= 1 && (takes as number) <= MAX_TAKES)
    return takes as number
  throw new CoreError(
    'CORE_INVALID_STORYBOARD',
    `takes of shot "${shotId}" is not a whole number from 1 to ${MAX_TAKES}; fix the storyboard first (storyreel validate)`,
  )
}

function replaceValue(text: string, pair: Pair, take: number): string {
  const [start, end] = (pair.value as Node).range!
  if (isScalar(pair.value) && pair.value.value === take) return text
  // `pick:` with no value: keep a space after the colon.
  const written = text[start - 1] === ':' ? ` ${take}` : String(take)
  return text.slice(0, start) + written + text.slice(end)
}

/** Where a pair's value ends in the text (its key's end when it has none). */
function valueEnd(pair: Pair): number {
  return ((pair.value as Node | null)?.range ?? (pair.key as Node).range!)[1]
}

function appendToFlow(text: string, shot: YAMLMap, take: number): string {
  const at = valueEnd(shot.items.at(-1) as Pair)
  return `${text.slice(0, at)}, pick: ${take}${text.slice(at)}`
}

function addLine(text: string, shot: YAMLMap, take: number): string {
  const pairs = shot.items as Pair[]
  const anchor = pairs.find((pair) => keyIs(pair, 'takes')) ?? pairs.at(-1)!
  const keyStart = (anchor.key as Node).range![0]
  const indent = keyStart - (text.lastIndexOf('\n', keyStart - 1) + 1)
  const end = valueEnd(anchor)
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  const newline = text.indexOf('\n', end)
  // A block scalar or nested mapping ends after its own line break; anything else ends mid-line.
  const at = text[end - 1] === '\n' ? end : newline === -1 ? text.length : newline + 1
  const line = `${' '.repeat(indent)}pick: ${take}`
  const inserted = at === text.length && !text.endsWith('\n') ? `${eol}${line}` : `${line}${eol}`
  return text.slice(0, at) + inserted + text.slice(at)
}

/** The edited text must mean the original plus the pick, and nothing else: never write a storyboard this got wrong. */
function verified(before: unknown, edited: string, index: number, take: number, file: string): YamlSource {
  const after = parseYamlSource(edited, file)
  const expected = structuredClone(before) as { shots: Record<string, unknown>[] }
  expected.shots[index]!.pick = take
  if (after.fatal || !isDeepStrictEqual(after.source.data, expected)) {
    throw new CoreError(
      'CORE_PICK_EDIT_FAILED',
      `could not write pick: ${take} into ${file} without changing anything else; add it to the shot by hand`,
    )
  }
  return after.source
}
