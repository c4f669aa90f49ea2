/** The facts each farm error code carries, as typed properties of the error itself. */
export interface FarmErrorFields {
  /** The Redis URL is not one ioredis can use. */
  FARM_BAD_URL: { readonly url: string }
  /** No run with this id is in Redis (never enqueued, or removed). */
  FARM_UNKNOWN_RUN: { readonly runId: string }
  /** The run's shots need a provider this worker cannot open (e.g. WaveSpeed without a key in its environment). */
  FARM_NO_PROVIDER: { readonly provider: string }
  /**
   * This worker no longer holds the job's lock (it could not renew it in time, so BullMQ gave the job to
   * another worker): it must stop the job's work and leave every step after it to that worker.
   */
  FARM_LOCK_LOST: { readonly queue: string; readonly jobId: string }
  /** An option is out of range. */
  FARM_INVALID_OPTION: { readonly option: string; readonly value: unknown }
}

export type FarmErrorCode = keyof FarmErrorFields

export class FarmError<C extends FarmErrorCode = FarmErrorCode> extends Error {
  override readonly name = 'FarmError'
  readonly code: C

  constructor(code: C, message: string, options: { cause?: unknown } = {}) {
    super(message, options)
    this.code = code
  }
}

export type FarmErrorOf<C extends FarmErrorCode> = FarmError<C> & Readonly<FarmErrorFields[C]>

export function farmError<C extends FarmErrorCode>(
  code: C,
  message: string,
  fields: FarmErrorFields[C],
  cause?: unknown,
): FarmErrorOf<C> {
  return Object.assign(new FarmError(code, message, cause === undefined ? {} : { cause }), fields)
}

export function isFarmError<C extends FarmErrorCode>(error: unknown, code: C): error is FarmErrorOf<C> {
  return error instanceof FarmError && error.code === code
}
