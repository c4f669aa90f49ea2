import type { RunEstimate } from './estimate.ts'
import type { RunResult } from './run-types.ts'

/**
 * The facts each error code carries, as typed properties of the error itself (undici's style):
 * `if (isSchedulerError(error, 'SCHED_ABORTED')) use(error.result)`.
 */
export interface SchedulerErrorFields {
  /** The estimate is above `maxCost`; nothing was submitted. */
  SCHED_OVER_BUDGET: { readonly estimate: RunEstimate; readonly maxCost: number }
  /** The caller's `approve` hook declined the estimate; nothing was submitted. */
  SCHED_NOT_APPROVED: { readonly estimate: RunEstimate }
  /** The caller's AbortSignal fired; the journal is consistent and a re-run re-attaches. `result` is the partial outcome, when the run had started. */
  SCHED_ABORTED: { readonly result?: RunResult }
  /** An option is out of range or names a shot the plan does not have. */
  SCHED_INVALID_OPTION: { readonly option: string; readonly value: unknown }
  /** A dependency names an unknown or later shot, or two shots share an id. */
  SCHED_INVALID_PLAN: { readonly shot: string; readonly dependsOn?: string }
  /** A journal line other than a torn last one cannot be read, or is not a record the scheduler wrote. */
  SCHED_JOURNAL_CORRUPT: { readonly file: string; readonly line: number }
  /** Another live process is running a plan in the same run directory. */
  SCHED_RUN_DIR_LOCKED: { readonly runDir: string; readonly pid?: number }
  /**
   * The run directory (`role: 'run'`) or the clip cache (`'cache'`) could not be created or written
   * before anything was paid. `reason` is the system's code (`EROFS`, `ENOTDIR`...) or `TIMEOUT`.
   */
  SCHED_UNWRITABLE: { readonly path: string; readonly role: 'run' | 'cache'; readonly reason: string }
}

export type SchedulerErrorCode = keyof SchedulerErrorFields

/** Codes that only appear on a failed shot's outcome, never thrown. */
export type ShotFailureCode =
  /** A submission may or may not have created a prediction, and the provider cannot look it up. */
  | 'SCHED_AMBIGUOUS_SUBMISSION'
  /** A retry was not submitted because it would push spend over `maxCost`. */
  | 'SCHED_BUDGET_STOP'

export class SchedulerError<C extends SchedulerErrorCode = SchedulerErrorCode> extends Error {
  override readonly name = 'SchedulerError'
  readonly code: C

  constructor(code: C, message: string, options: { cause?: unknown } = {}) {
    super(message, options)
    this.code = code
  }
}

/** A `SchedulerError` with the fields of its code. */
export type SchedulerErrorOf<C extends SchedulerErrorCode> = SchedulerError<C> &
  Readonly<SchedulerErrorFields[C]>

export function schedulerError<C extends SchedulerErrorCode>(
  code: C,
  message: string,
  fields: SchedulerErrorFields[C],
  cause?: unknown,
): SchedulerErrorOf<C> {
  return Object.assign(new SchedulerError(code, message, cause === undefined ? {} : { cause }), fields)
}

/** Narrows `error` to the scheduler error with `code`, fields included. */
export function isSchedulerError<C extends SchedulerErrorCode>(
  error: unknown,
  code: C,
): error is SchedulerErrorOf<C> {
  return error instanceof SchedulerError && error.code === code
}

/** What a provider's error says (see core's `ProviderErrorInfo`), read from anything thrown. */
export interface ProviderErrorFacts {
  readonly message: string
  readonly code?: string
  readonly retryable?: boolean
  readonly ambiguous?: boolean
  readonly predictionId?: string
  readonly predictionEnded?: boolean
  readonly refunded?: boolean
}

/** The system's code (`ENOSPC`, `EACCES`...) of an error or of one of its causes: what the machine, not the shot, did wrong. */
export function systemCodeOf(error: unknown): string | undefined {
  for (
    let e = error, depth = 0;
    typeof e === 'object' && e !== null && depth < 6;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) return code
  }
  return undefined
}

export function providerErrorFacts(error: unknown): ProviderErrorFacts {
  if (typeof error !== 'object' || error === null) return { message: String(error) }
  const e = error as {
    message?: unknown
    code?: unknown
    retryable?: unknown
    ambiguous?: unknown
    predictionId?: unknown
    predictionEnded?: unknown
    refunded?: unknown
  }
  return {
    message: typeof e.message === 'string' ? e.message : String(error),
    ...(typeof e.code === 'string' || typeof e.code === 'number' ? { code: String(e.code) } : {}),
    ...(typeof e.retryable === 'boolean' ? { retryable: e.retryable } : {}),
    ...(typeof e.ambiguous === 'boolean' ? { ambiguous: e.ambiguous } : {}),
    ...(typeof e.predictionId === 'string' ? { predictionId: e.predictionId } : {}),
    ...(e.predictionEnded === true ? { predictionEnded: true } : {}),
    ...(e.refunded === true ? { refunded: true } : {}),
  }
}
