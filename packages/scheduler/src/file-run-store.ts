import { openJournalFile, readJournalFile } from './file-journal.ts'
import { prepareDirs } from './prepare-dir.ts'
import { runLayout } from './run-layout.ts'
import { lockFile } from './run-lock.ts'
import type { RunStore } from './run-store.ts'

export interface FileRunStoreOptions {
  /** Strings (the API key) scrubbed from every line the journal writes. */
  readonly secrets?: readonly string[]
  /** How long `prepare` may take before the directory counts as unwritable. */
  readonly prepareTimeoutMs?: number
}

/** The run store of a local render: everything in `runDir` (see `runLayout`), the journal as NDJSON. */
export function openFileRunStore(runDir: string, options: FileRunStoreOptions = {}): RunStore {
  const layout = runLayout(runDir)
  const secrets = options.secrets ?? []
  return {
    layout,
    prepare: () => prepareDirs(layout.dirs, 'run', options.prepareTimeoutMs),
    lock: () => lockFile(layout.lock),
    openJournal: () => openJournalFile(layout.journal, secrets),
    readJournal: () => readJournalFile(layout.journal),
  }
}
