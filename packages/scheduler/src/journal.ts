import { open, readFile, mkdir } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { ImageRef, ShotParams } from '@storyreel/core'
import { SchedulerError } from './errors.ts'

/** A `RenderRequest` as written to disk: the model by id, so the line stays small and stable. */
export interface JournalRequest {
  readonly model: string
  readonly params: ShotParams
  readonly startImage?: ImageRef
  readonly endImage?: ImageRef
}

interface Base {
  /** Epoch ms. */
  readonly at: number
}

/**
 * One line of `<runDir>/journal.ndjson`. Each is appended and fsync'ed before the
 * step it announces is taken (`intent` before the POST, `submitted` before waiting...),
 * so after a crash the journal says exactly what may already have been paid for.
 */
export type JournalRecord =
  | (Base & { readonly type: 'run'; readonly pid: number; readonly plan: string; readonly provider: string })
  | (Base & { readonly type: 'intent'; readonly shot: string; readonly attempt: number; readonly key: string; readonly request: JournalRequest })
  | (Base & {
      readonly type: 'submitted'
      readonly shot: string
      readonly attempt: number
      readonly key: string
      readonly id: string
      readonly model: string
      /** USD this prediction costs (the plan's estimate for one attempt). */
      readonly cost: number
      /** True when found with `provider.recover` after a crash rather than returned by `submit`. */
      readonly recovered?: boolean
    })
  | (Base & { readonly type: 'completed'; readonly shot: string; readonly attempt: number; readonly id: string; readonly output: string; readonly inferenceMs?: number })
  | (Base & {
      readonly type: 'downloaded'
      readonly shot: string
      readonly attempt: number
      readonly id: string
      readonly key: string
      /** Relative to the run directory. */
      readonly file: string
      readonly sha256: string
    })
  | (Base & {
      readonly type: 'failed'
      readonly shot: string
      readonly attempt: number
      readonly id?: string
      readonly message: string
      readonly code?: string
      readonly retryable?: boolean
      /** The prediction itself failed (see `ProviderErrorInfo.predictionEnded`); absent in journals of older versions. */
      readonly ended?: boolean
    })
  | (Base & { readonly type: 'cached'; readonly shot: string; readonly key: string; readonly file: string; readonly sha256: string })
  | (Base & { readonly type: 'skipped'; readonly shot: string; readonly reason: string })

export const JOURNAL_FILE = 'journal.ndjson'

export interface JournalWriter {
  /** Resolves once the line is on disk (fsync'ed). Appends are serialised in call order. */
  append(record: JournalRecord): Promise<void>
  close(): Promise<void>
}

export async function openJournal(runDir: string): Promise<JournalWriter> {
  await mkdir(runDir, { recursive: true })
  const handle: FileHandle = await open(join(runDir, JOURNAL_FILE), 'a+')
  await dropTornTail(handle)
  let tail: Promise<void> = Promise.resolve()
  return {
    append(record) {
      const write = tail.then(async () => {
        await handle.appendFile(`${JSON.stringify(record)}\n`)
        await handle.datasync()
      })
      // Keep the chain alive after a failed write so later appends still report their own outcome.
      tail = write.catch(() => undefined)
      return write
    },
    async close() {
      await tail
      await handle.close()
    },
  }
}

/**
 * A kill -9 mid-write can leave a partial last line. Its step was never taken (every step
 * waits for its line to be on disk), so the fragment is cut off rather than kept.
 */
async function dropTornTail(handle: FileHandle): Promise<void> {
  const { size } = await handle.stat()
  if (size === 0) return
  const window = Buffer.alloc(Math.min(size, 64 * 1024))
  await handle.read(window, 0, window.length, size - window.length)
  if (window[window.length - 1] === 0x0a) return
  const lastNewline = window.lastIndexOf(0x0a)
  // A torn line longer than the window is not a torn append; leave it for the reader to report.
  if (lastNewline === -1 && window.length < size) return
  await handle.truncate(size - window.length + lastNewline + 1)
  await handle.datasync()
}

/** Parses journal text; a torn final line (crash mid-write) is dropped, a bad line elsewhere is an error. */
export function parseJournal(text: string, file = JOURNAL_FILE): JournalRecord[] {
  const lines = text.split('\n')
  const records: JournalRecord[] = []
  lines.forEach((line, i) => {
    if (line.trim() === '') return
    try {
      records.push(JSON.parse(line) as JournalRecord)
    } catch (cause) {
      const isLast = lines.slice(i + 1).every((rest) => rest.trim() === '')
      if (isLast && !text.endsWith('\n')) return
      throw new SchedulerError('SCHED_JOURNAL_CORRUPT', `${file}:${i + 1} is not valid JSON. Move the run directory aside to start afresh, or fix that line.`, {
        cause,
        data: { file, line: i + 1 },
      })
    }
  })
  return records
}

export async function readJournalRecords(runDir: string): Promise<JournalRecord[]> {
  const file = join(runDir, JOURNAL_FILE)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return parseJournal(text, file)
}
