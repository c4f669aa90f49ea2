import type { ImageRef, ShotParams } from '@storyreel/core'
import { schedulerError } from './errors.ts'
import { JOURNAL_FILE } from './run-layout.ts'

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
 * One line of the journal. Each is appended and made durable before the step it
 * announces is taken (`intent` before the POST, `submitted` before waiting...),
 * so after a crash the journal says exactly what may already have been paid for.
 */
export type JournalRecord =
  | (Base & { readonly type: 'run'; readonly pid: number; readonly plan: string; readonly provider: string })
  /** `take`: which take of the shot (1-based; absent in journals written before takes, meaning 1). Attempts are numbered per shot, across its takes. */
  | (Base & {
      readonly type: 'intent'
      readonly shot: string
      readonly take?: number
      readonly attempt: number
      readonly key: string
      readonly request: JournalRequest
    })
  | (Base & {
      readonly type: 'submitted'
      readonly shot: string
      readonly attempt: number
      readonly key: string
      readonly id: string
      readonly model: string
      /** USD this prediction costs when created (the plan's price for one attempt; 0 for a free provider). */
      readonly cost: number
      /** True when found with `provider.recover` after a crash rather than returned by `submit`. */
      readonly recovered?: boolean
    })
  | (Base & {
      readonly type: 'completed'
      readonly shot: string
      readonly attempt: number
      readonly id: string
      readonly output: string
      readonly inferenceMs?: number
    })
  | (Base & {
      readonly type: 'downloaded'
      readonly shot: string
      readonly take?: number
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
      /** The service gave its price back (see `ProviderErrorInfo.refunded`): it is not spend. */
      readonly refunded?: boolean
    })
  | (Base & {
      readonly type: 'cached'
      readonly shot: string
      readonly take?: number
      readonly key: string
      readonly file: string
      readonly sha256: string
    })
  /** `shots/<id>.mp4` and `frames/<id>.*.png` now hold this take (the storyboard's pick), whose clip has this sha256. */
  | (Base & {
      readonly type: 'placed'
      readonly shot: string
      readonly take: number
      readonly sha256: string
    })
  | (Base & { readonly type: 'skipped'; readonly shot: string; readonly reason: string })

type FieldKind = 'string' | 'number' | 'boolean' | 'object'
/** Required fields end without `?`; a field ending in `?` may be absent. */
type Shape = Readonly<Record<string, FieldKind>>

const SHOT = { shot: 'string' } as const
const SHAPES: Readonly<Record<JournalRecord['type'], Shape>> = {
  run: { pid: 'number', plan: 'string', provider: 'string' },
  intent: { ...SHOT, 'take?': 'number', attempt: 'number', key: 'string', request: 'object' },
  submitted: {
    ...SHOT,
    attempt: 'number',
    key: 'string',
    id: 'string',
    model: 'string',
    cost: 'number',
    'recovered?': 'boolean',
  },
  completed: { ...SHOT, attempt: 'number', id: 'string', output: 'string', 'inferenceMs?': 'number' },
  downloaded: {
    ...SHOT,
    'take?': 'number',
    attempt: 'number',
    id: 'string',
    key: 'string',
    file: 'string',
    sha256: 'string',
  },
  failed: {
    ...SHOT,
    attempt: 'number',
    'id?': 'string',
    message: 'string',
    'code?': 'string',
    'retryable?': 'boolean',
    'ended?': 'boolean',
    'refunded?': 'boolean',
  },
  cached: { ...SHOT, 'take?': 'number', key: 'string', file: 'string', sha256: 'string' },
  placed: { ...SHOT, take: 'number', sha256: 'string' },
  skipped: { ...SHOT, reason: 'string' },
}

/** Why `value` is not a journal record, or undefined when it is one. */
function shapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'is not a journal record (an object with a type)'
  const record = value as Record<string, unknown>
  const shape = typeof record.type === 'string' ? SHAPES[record.type as JournalRecord['type']] : undefined
  if (!shape) return `has an unknown record type ${JSON.stringify(record.type)}`
  for (const [spec, kind] of Object.entries({ at: 'number', ...shape })) {
    const optional = spec.endsWith('?')
    const name = optional ? spec.slice(0, -1) : spec
    const field = record[name]
    if (field === undefined && optional) continue
    const ok =
      kind === 'object'
        ? typeof field === 'object' && field !== null
        : typeof field === kind && (kind !== 'number' || Number.isFinite(field))
    if (!ok)
      return `is a "${String(record.type)}" record ${field === undefined ? 'without' : 'with a bad'} "${name}"`
  }
  return undefined
}

/**
 * Parses journal text: a torn final line (a crash mid-write) is dropped; any other line that is
 * not JSON, or not a record of the right shape, is `SCHED_JOURNAL_CORRUPT` naming its line.
 */
export function parseJournal(text: string, file = JOURNAL_FILE): JournalRecord[] {
  const lines = text.split('\n')
  const records: JournalRecord[] = []
  const corrupt = (line: number, what: string, cause?: unknown) =>
    schedulerError(
      'SCHED_JOURNAL_CORRUPT',
      `${file}:${line} ${what}. Move the run directory aside to start afresh, or fix that line.`,
      { file, line },
      cause,
    )
  lines.forEach((line, i) => {
    if (line.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (cause) {
      const isLast = lines.slice(i + 1).every((rest) => rest.trim() === '')
      if (isLast && !text.endsWith('\n')) return
      throw corrupt(i + 1, 'is not valid JSON', cause)
    }
    const problem = shapeProblem(value)
    if (problem) throw corrupt(i + 1, problem)
    records.push(value as JournalRecord)
  })
  return records
}
