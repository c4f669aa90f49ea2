export type SchedulerErrorCode =
  /** `maxCost` is below what the run would submit. */
  | 'SCHED_OVER_BUDGET'
  /** The caller's AbortSignal fired; the journal is consistent and a re-run re-attaches. */
  | 'SCHED_ABORTED'
  /** An option is out of range or names a shot the plan does not have. */
  | 'SCHED_INVALID_OPTION'
  /** The plan's dependencies form a cycle or name unknown shots. */
  | 'SCHED_INVALID_PLAN'
  /** A journal line other than the last one cannot be read. */
  | 'SCHED_JOURNAL_CORRUPT'
  /** Another live process is running a plan in the same run directory. */
  | 'SCHED_RUN_DIR_LOCKED'
  /** A submission may or may not have created a prediction, and the provider cannot look it up. */
  | 'SCHED_AMBIGUOUS_SUBMISSION'
  /** A retry was not submitted because it would push spend over `maxCost`. */
  | 'SCHED_BUDGET_STOP'

export class SchedulerError extends Error {
  override readonly name = 'SchedulerError'
  readonly code: SchedulerErrorCode
  /** Structured facts for the caller (numbers, shot ids, paths); never the API key. */
  readonly data: Readonly<Record<string, unknown>>

  constructor(code: SchedulerErrorCode, message: string, options: { cause?: unknown; data?: Record<string, unknown> } = {}) {
    super(message, { cause: options.cause })
    this.code = code
    this.data = options.data ?? {}
  }
}

/** Reads the provider's error facts (see `ProviderErrorInfo`) from anything thrown. */
export function providerErrorFacts(error: unknown): { message: string; code?: string; retryable?: boolean; ambiguous?: boolean; predictionId?: string; predictionEnded?: boolean } {
  if (typeof error !== 'object' || error === null) return { message: String(error) }
  const e = error as { message?: unknown; code?: unknown; retryable?: unknown; ambiguous?: unknown; predictionId?: unknown; predictionEnded?: unknown }
  return {
    message: typeof e.message === 'string' ? e.message : String(error),
    ...(typeof e.code === 'string' || typeof e.code === 'number' ? { code: String(e.code) } : {}),
    ...(typeof e.retryable === 'boolean' ? { retryable: e.retryable } : {}),
    ...(typeof e.ambiguous === 'boolean' ? { ambiguous: e.ambiguous } : {}),
    ...(typeof e.predictionId === 'string' ? { predictionId: e.predictionId } : {}),
    ...(e.predictionEnded === true ? { predictionEnded: true } : {}),
  }
}
