import { openFileRunStore } from './file-run-store.ts'
import type { JournalRecord } from './journal-records.ts'
import { ledgerOf, ledgerSpend, replayJournal, type LedgerEntry } from './journal-replay.ts'
import type { ClipPaths } from './run-layout.ts'
import type { RunStore } from './run-store.ts'

export type ShotJournalState = 'submitting' | 'rendering' | 'downloading' | 'done' | 'failed' | 'skipped'

/** A shot's clip as the run store knows it: nothing needs hashing or path-building again. */
export interface StoredClip extends ClipPaths {
  /** Relative to the run directory, as the journal names it. */
  readonly file: string
  readonly sha256: string
  readonly key: string
  readonly predictionId?: string
}

export interface ShotJournalStatus {
  readonly shot: string
  /**
   * `submitting`: an intent without a known prediction id (a re-run looks it up);
   * `rendering`: a prediction id is known, the clip is not; `downloading`: finished, not yet on disk.
   */
  readonly state: ShotJournalState
  readonly attempts: number
  readonly predictionId?: string
  /** The shot's latest clip in the run, whatever happened after it (a forced attempt may have failed since). */
  readonly clip?: StoredClip
  readonly message?: string
  /** USD spent on the shot's predictions (refunded ones excluded). */
  readonly spent: number
  readonly at: number
}

export interface JournalSummary {
  readonly shots: readonly ShotJournalStatus[]
  readonly ledger: readonly LedgerEntry[]
  readonly spent: number
}

const STATE: Record<Exclude<JournalRecord['type'], 'run'>, ShotJournalState> = {
  intent: 'submitting',
  submitted: 'rendering',
  completed: 'downloading',
  downloaded: 'done',
  cached: 'done',
  failed: 'failed',
  skipped: 'skipped',
}

/**
 * Each shot's state as the run's journal records it, for `status` and `assemble`.
 * An empty summary when the run has no journal yet. Safe while a run is going.
 */
export async function readJournal(run: string | RunStore): Promise<JournalSummary> {
  const store = typeof run === 'string' ? openFileRunStore(run) : run
  const records = await store.readJournal()
  const ledger = ledgerOf(records)
  const shots = [...replayJournal(records).values()].map((h): ShotJournalStatus => {
    const latest = h.attempts.at(-1)
    const state = STATE[h.last]
    const clip = h.clip ? { ...store.layout.shot(h.shot), clip: store.layout.resolve(h.clip.file), ...h.clip } : undefined
    return {
      shot: h.shot,
      state,
      attempts: h.attempts.length,
      spent: ledgerSpend(ledger.filter((e) => e.shot === h.shot)),
      at: h.lastAt,
      ...(latest?.id ? { predictionId: latest.id } : {}),
      ...(clip ? { clip } : {}),
      ...(state === 'failed' && latest?.failure ? { message: latest.failure.message } : {}),
      ...(state === 'skipped' && h.skipReason ? { message: h.skipReason } : {}),
    }
  })
  return { shots, ledger, spent: ledgerSpend(ledger) }
}
