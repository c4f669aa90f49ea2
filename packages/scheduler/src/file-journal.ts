import type { FileHandle } from 'node:fs/promises'
import { open, readFile } from 'node:fs/promises'
import { type JournalRecord, parseJournal } from './journal-records.ts'
import { redact } from './redact.ts'
import type { RunJournal } from './run-store.ts'

/** Opens `file` for appending, cutting off a torn last line first, and reads it once. */
export async function openJournalFile(file: string, secrets: readonly string[]): Promise<RunJournal> {
  const handle: FileHandle = await open(file, 'a+')
  let records: JournalRecord[]
  try {
    await dropTornTail(handle)
    records = parseJournal(await handle.readFile('utf8'), file)
  } catch (error) {
    await handle.close()
    throw error
  }
  let tail: Promise<void> = Promise.resolve()
  return {
    records,
    append(record) {
      const write = tail.then(async () => {
        await handle.appendFile(`${redact(JSON.stringify(record), secrets)}\n`)
        await handle.datasync()
        records.push(record)
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

/** The journal's records, or none when it does not exist yet. */
export async function readJournalFile(file: string): Promise<JournalRecord[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return parseJournal(text, file)
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
