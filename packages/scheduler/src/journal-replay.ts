import type { JournalRecord, JournalRequest } from './journal.ts'
import { readJournalRecords } from './journal.ts'

export interface AttemptHistory {
  readonly attempt: number
  readonly key: string
  readonly request: JournalRequest
  readonly intentAt: number
  id?: string
  recovered?: boolean
  cost?: number
  output?: string
  inferenceMs?: number
  file?: string
  sha256?: string
  failure?: { readonly message: string; readonly code?: string; readonly retryable?: boolean; readonly ended?: boolean }
}

/** What the journal says about one shot, across every run in the run directory. */
export interface ShotHistory {
  readonly shot: string
  /** In attempt order. */
  readonly attempts: AttemptHistory[]
  /** The most recent clip written for the shot (downloaded or linked from the cache), with its key. */
  clip?: { readonly key: string; readonly file: string; readonly sha256: string; readonly predictionId?: string }
  /** The type of the shot's last record: what it was doing when the journal stopped. */
  last: JournalRecord['type']
  lastAt: number
  skipReason?: string
}

export interface LedgerEntry {
  readonly shot: string
  readonly attempt: number
  readonly predictionId: string
  readonly model: string
  /** USD. */
  readonly price: number
  /** Epoch ms the id became known. */
  readonly at: number
  readonly recovered?: boolean
}

/** Folds journal records into per-shot histories. Pure, so a crash at any line replays the same way. */
export function replayJournal(records: readonly JournalRecord[]): Map<string, ShotHistory> {
  const shots = new Map<string, ShotHistory>()
  const attemptOf = (shot: string, attempt: number) => shots.get(shot)?.attempts.find((a) => a.attempt === attempt)
  for (const r of records) {
    if (r.type === 'run') continue
    let h = shots.get(r.shot)
    if (!h) {
      h = { shot: r.shot, attempts: [], last: r.type, lastAt: r.at }
      shots.set(r.shot, h)
    }
    h.last = r.type
    h.lastAt = r.at
    switch (r.type) {
      case 'intent':
        h.attempts.push({ attempt: r.attempt, key: r.key, request: r.request, intentAt: r.at })
        break
      case 'submitted': {
        const a = attemptOf(r.shot, r.attempt)
        if (a) Object.assign(a, { id: r.id, cost: r.cost, ...(r.recovered ? { recovered: true } : {}) })
        break
      }
      case 'completed': {
        const a = attemptOf(r.shot, r.attempt)
        if (a) Object.assign(a, { output: r.output, ...(r.inferenceMs === undefined ? {} : { inferenceMs: r.inferenceMs }) })
        break
      }
      case 'downloaded': {
        const a = attemptOf(r.shot, r.attempt)
        if (a) Object.assign(a, { file: r.file, sha256: r.sha256 })
        h.clip = { key: r.key, file: r.file, sha256: r.sha256, predictionId: r.id }
        break
      }
      case 'failed': {
        const a = attemptOf(r.shot, r.attempt)
        if (a) {
          a.failure = { message: r.message, ...(r.code ? { code: r.code } : {}), ...(r.retryable === undefined ? {} : { retryable: r.retryable }), ...(r.ended ? { ended: true } : {}) }
          if (r.id) a.id = r.id
        }
        break
      }
      case 'cached':
        h.clip = { key: r.key, file: r.file, sha256: r.sha256 }
        break
      case 'skipped':
        h.skipReason = r.reason
        break
    }
  }
  return shots
}

/** Every prediction the run directory's runs created, in the order their ids became known. */
export function ledgerOf(records: readonly JournalRecord[]): LedgerEntry[] {
  return records.flatMap((r) =>
    r.type === 'submitted'
      ? [{ shot: r.shot, attempt: r.attempt, predictionId: r.id, model: r.model, price: r.cost, at: r.at, ...(r.recovered ? { recovered: true } : {}) }]
      : [],
  )
}

export type ShotJournalState = 'submitting' | 'rendering' | 'downloading' | 'done' | 'failed' | 'skipped'

export interface ShotJournalStatus {
  readonly shot: string
  /**
   * `submitting`: an intent without a known prediction id (a re-run looks it up);
   * `rendering`: a prediction id is known, the clip is not; `downloading`: finished, not yet on disk.
   */
  readonly state: ShotJournalState
  readonly attempts: number
  readonly predictionId?: string
  /** Relative to the run directory, when a clip exists. */
  readonly clip?: string
  readonly message?: string
  /** USD spent on the shot's predictions. */
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
 * Each shot's state as recorded in `<runDir>/journal.ndjson`, for a `status` command.
 * An empty summary when the run directory has no journal yet.
 */
export async function readJournal(runDir: string): Promise<JournalSummary> {
  const records = await readJournalRecords(runDir)
  const ledger = ledgerOf(records)
  const shots = [...replayJournal(records).values()].map((h): ShotJournalStatus => {
    const latest = h.attempts.at(-1)
    const spent = sumUsd(ledger.filter((e) => e.shot === h.shot).map((e) => e.price))
    const state = h.last === 'run' ? 'submitting' : STATE[h.last]
    return {
      shot: h.shot,
      state,
      attempts: h.attempts.length,
      spent,
      at: h.lastAt,
      ...(latest?.id ? { predictionId: latest.id } : {}),
      ...(state === 'done' && h.clip ? { clip: h.clip.file } : {}),
      ...(state === 'failed' && latest?.failure ? { message: latest.failure.message } : {}),
      ...(state === 'skipped' && h.skipReason ? { message: h.skipReason } : {}),
    }
  })
  return { shots, ledger, spent: sumUsd(ledger.map((e) => e.price)) }
}

/** Sums dollar amounts in cents so 0.1 + 0.2 prints as 0.3. */
export function sumUsd(amounts: readonly number[]): number {
  return amounts.reduce((sum, a) => sum + Math.round(a * 100), 0) / 100
}
