/** The facts each code carries, as typed properties of the error. */
export interface ReviewErrorFields {
  /** The server could not listen: `reason` is the system's code (`EADDRINUSE`, `EACCES`...). */
  REVIEW_LISTEN: { readonly host: string; readonly port: number; readonly reason: string }
  /** An option is not one the server can honour (a host that is not a loopback address). */
  REVIEW_INVALID_OPTION: { readonly option: string; readonly value: unknown }
}

export type ReviewErrorCode = keyof ReviewErrorFields

export class ReviewError<C extends ReviewErrorCode = ReviewErrorCode> extends Error {
  override readonly name = 'ReviewError'
  readonly code: C

  constructor(code: C, message: string, options: { cause?: unknown } = {}) {
    super(message, options)
    this.code = code
  }
}

export type ReviewErrorOf<C extends ReviewErrorCode> = ReviewError<C> & Readonly<ReviewErrorFields[C]>

export function reviewError<C extends ReviewErrorCode>(
  code: C,
  message: string,
  fields: ReviewErrorFields[C],
  cause?: unknown,
): ReviewErrorOf<C> {
  return Object.assign(new ReviewError(code, message, cause === undefined ? {} : { cause }), fields)
}

export function isReviewError<C extends ReviewErrorCode>(error: unknown, code: C): error is ReviewErrorOf<C> {
  return error instanceof ReviewError && error.code === code
}
