import type { JournalRecord, JournalRequest } from './journal-records.ts'

export interface AttemptHistory {
  readonly attempt: number
  /** Which take of the shot the attempt renders (1 in journals written before takes). */
  readonly take: number
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
  failure?: {
    readonly message: string
    readonly code?: string
    readonly retryable?: boolean
    readonly ended?: boolean
    readonly refunded?: boolean
  }
}

/** The clip a shot has in the run directory, as the journal recorded it. */
export interface JournaledClip {
  readonly take: number
  readonly key: string
  /** Relative to the run directory. */
  readonly file: string
  readonly sha256: string
  readonly predictionId?: string
}

/** What the journal says about one shot, across every run in the run directory. */
export interface ShotHistory {
  readonly shot: string
  /** In attempt order. */
  readonly attempts: AttemptHistory[]
  /** The most recent clip written for each take (downloaded or linked from the cache), with its key, by take. */
  readonly clips: Map<number, JournaledClip>
  /** The take `shots/<id>.mp4` holds, when a run placed one (journals written before takes: take 1's clip is there). */
  placed?: { readonly take: number; readonly sha256: string }
  /** The type of the shot's last record: what it was doing when the journal stopped. */
  last: Exclude<JournalRecord['type'], 'run'>
  lastAt: number
  skipReason?: string
}

export interface LedgerEntry {
  readonly shot: string
  readonly take: number
  readonly attempt: number
  readonly predictionId: string
  readonly model: string
  /** USD the prediction cost when it was created. */
  readonly price: number
  /** Epoch ms the id became known. */
  readonly at: number
  readonly recovered?: boolean
  /** The prediction failed and the service gave its price back: listed, but not spend. */
  readonly refunded?: boolean
}

/** Folds journal records into per-shot histories. Pure, so a crash at any line replays the same way. */
export function replayJournal(records: readonly JournalRecord[]): Map<string, ShotHistory> {
  const shots = new Map<string, ShotHistory>()
  const attemptOf = (shot: string, attempt: number) =>
    shots.get(shot)?.attempts.find((a) => a.attempt === attempt)
  for (const r of records) {
    if (r.type === 'run') continue
    let h = shots.get(r.shot)
    if (!h) {
      h = { shot: r.shot, attempts: [], clips: new Map(), last: r.type, lastAt: r.at }
      shots.set(r.shot, h)
    }
    h.last = r.type
    h.lastAt = r.at
    const a = 'attempt' in r ? attemptOf(r.shot, r.attempt) : undefined
    switch (r.type) {
      case 'intent':
        h.attempts.push({
          attempt: r.attempt,
          take: r.take ?? 1,
          key: r.key,
          request: r.request,
          intentAt: r.at,
        })
        break
      case 'submitted':
        if (a) Object.assign(a, { id: r.id, cost: r.cost, ...(r.recovered ? { recovered: true } : {}) })
        break
      case 'completed':
        if (a)
          Object.assign(a, {
            output: r.output,
            ...(r.inferenceMs === undefined ? {} : { inferenceMs: r.inferenceMs }),
          })
        break
      case 'downloaded':
        if (a) Object.assign(a, { file: r.file, sha256: r.sha256 })
        h.clips.set(r.take ?? a?.take ?? 1, {
          take: r.take ?? a?.take ?? 1,
          key: r.key,
          file: r.file,
          sha256: r.sha256,
          predictionId: r.id,
        })
        break
      case 'failed':
        if (a) {
          a.failure = {
            message: r.message,
            ...(r.code ? { code: r.code } : {}),
            ...(r.retryable === undefined ? {} : { retryable: r.retryable }),
            ...(r.ended ? { ended: true } : {}),
            ...(r.refunded ? { refunded: true } : {}),
          }
          if (r.id) a.id = r.id
        }
        break
      case 'cached':
        h.clips.set(r.take ?? 1, { take: r.take ?? 1, key: r.key, file: r.file, sha256: r.sha256 })
        break
      case 'placed':
        h.placed = { take: r.take, sha256: r.sha256 }
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
  const refunded = new Set(
    records.flatMap((r) => (r.type === 'failed' && r.refunded ? [`${r.attempt}\0${r.shot}`] : [])),
  )
  const takes = new Map(
    records.flatMap((r) => (r.type === 'intent' ? [[`${r.attempt}\0${r.shot}`, r.take ?? 1] as const] : [])),
  )
  return records.flatMap((r) =>
    r.type === 'submitted'
      ? [
          {
            shot: r.shot,
            take: takes.get(`${r.attempt}\0${r.shot}`) ?? 1,
            attempt: r.attempt,
            predictionId: r.id,
            model: r.model,
            price: r.cost,
            at: r.at,
            ...(r.recovered ? { recovered: true } : {}),
            ...(refunded.has(`${r.attempt}\0${r.shot}`) ? { refunded: true } : {}),
          },
        ]
      : [],
  )
}

/** What the ledger's predictions cost: refunded ones excluded. */
export function ledgerSpend(ledger: readonly LedgerEntry[]): number {
  return ledger.reduce((sum, e) => (e.refunded ? sum : sum + Math.round(e.price * 100)), 0) / 100
}
