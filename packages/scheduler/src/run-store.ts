import type { JournalRecord } from './journal-records.ts'
import type { RunLayout } from './run-layout.ts'

/**
 * Everything a run keeps that must outlive the process: its journal (and so its ledger and
 * each shot's clip facts), its lock, and the place its clips and frames are written. The
 * file store (`openFileRunStore`) keeps it all in the run directory; a farm's store keeps the
 * journal and the lock where every machine sees them, and the clips on a shared file system.
 * Secrets the store was given never reach anything it writes.
 */
export interface RunStore {
  /** Where clips, frames and the run's other files go, as local paths. */
  readonly layout: RunLayout
  /** Creates what the run writes into and proves it writable (within a time limit), before anything is paid: `SCHED_UNWRITABLE`. */
  prepare(): Promise<void>
  /** Keeps every other process out of this run until released: `SCHED_RUN_DIR_LOCKED`. */
  lock(): Promise<RunLock>
  /** Reads the journal once and opens it for appending. `SCHED_JOURNAL_CORRUPT` names a bad line. */
  openJournal(): Promise<RunJournal>
  /** Reads the journal without writing to it (safe while a run is going); empty when there is none. */
  readJournal(): Promise<readonly JournalRecord[]>
}

export interface RunLock {
  release(): Promise<void>
}

export interface RunJournal {
  /** The records read at open, then each one appended since, in order. */
  readonly records: readonly JournalRecord[]
  /** Resolves once the record is durable (fsync'ed). Appends are serialised in call order. */
  append(record: JournalRecord): Promise<void>
  close(): Promise<void>
}
