import { openFileRunStore } from './file-run-store.ts'
import type { JournalRecord } from './journal-records.ts'
import { type LedgerEntry, ledgerOf, ledgerSpend, replayJournal } from './journal-replay.ts'
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

/** One take's clip in the run, at its own place (`takes/<id>/take-<n>.mp4`, or `shots/<id>.mp4` in runs made before takes). */
export interface StoredTake extends StoredClip {
  readonly take: number
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
  /**
   * The clip in `shots/<id>.mp4`, with `frames/<id>.*.png`: the take the last render placed there (the pick
   * then), whatever happened after it (a forced attempt may have failed since).
   */
  readonly clip?: StoredClip
  /** Every take with a clip in the run, by take number: the takes `pick` can choose from. */
  readonly takes: readonly StoredTake[]
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
  placed: 'done',
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
    const takes = [...h.clips.values()]
      .sort((a, b) => a.take - b.take)
      .map(({ take, key, file, sha256, predictionId }): StoredTake => {
        const paths = store.layout.take(h.shot, take)
        // A clip journaled before takes sits in shots/ with its frames in frames/.
        const at =
          store.layout.resolve(file) === paths.clip
            ? paths
            : { ...store.layout.shot(h.shot), clip: store.layout.resolve(file) }
        return { take, ...at, file, sha256, key, ...(predictionId ? { predictionId } : {}) }
      })
    const inShots = h.placed
      ? takes.find((t) => t.take === h.placed!.take && t.sha256 === h.placed!.sha256)
      : takes.find((t) => t.take === 1)
    const clip = inShots ? placedClip(store, h.shot, inShots) : undefined
    return {
      shot: h.shot,
      state,
      attempts: h.attempts.length,
      spent: ledgerSpend(ledger.filter((e) => e.shot === h.shot)),
      at: h.lastAt,
      ...(latest?.id ? { predictionId: latest.id } : {}),
      ...(clip ? { clip } : {}),
      takes,
      ...(state === 'failed' && latest?.failure ? { message: latest.failure.message } : {}),
      ...(state === 'skipped' && h.skipReason ? { message: h.skipReason } : {}),
    }
  })
  return { shots, ledger, spent: ledgerSpend(ledger) }
}

/** A take's facts with the paths of `shots/<id>.mp4` and `frames/<id>.*.png`, where it was placed. */
function placedClip(store: RunStore, shot: string, take: StoredTake): StoredClip {
  const paths = store.layout.shot(shot)
  return {
    ...paths,
    file: store.layout.relative(paths.clip),
    sha256: take.sha256,
    key: take.key,
    ...(take.predictionId ? { predictionId: take.predictionId } : {}),
  }
}
