/**
 * Every failure of @storyreel/animatic: a typed `code`, a message that says what
 * happened and what to do, and `retryable` (the Provider contract's
 * ProviderErrorInfo), so the scheduler knows whether another attempt can help.
 * Failures of the renderer itself come through as the assembler's errors.
 */
export type AnimaticErrorCode =
  /** `wait` was given an id this cache never saw submitted; `retryable` is false. */
  | 'ANIMATIC_UNKNOWN_ID'
  /** A start or end image file cannot be read; `file` names it. */
  | 'ANIMATIC_IMAGE'
  /**
   * An image URL was refused before or while fetching it: not https, a redirect to
   * http or another host, too many redirects, or a body over `limitBytes`. `url` names it.
   */
  | 'ANIMATIC_URL_REFUSED'
  /** Fetching an image URL failed: no connection, a timeout, or an HTTP error (`httpStatus`). */
  | 'ANIMATIC_FETCH'

export interface AnimaticErrorData {
  readonly cause?: unknown
  readonly retryable: boolean
  readonly file?: string
  readonly url?: string
  readonly httpStatus?: number
  readonly limitBytes?: number
}

export class AnimaticError extends Error {
  override readonly name = 'AnimaticError'
  readonly code: AnimaticErrorCode
  readonly retryable: boolean
  readonly file?: string
  readonly url?: string
  readonly httpStatus?: number
  readonly limitBytes?: number

  constructor(code: AnimaticErrorCode, message: string, data: AnimaticErrorData) {
    super(message, { cause: data.cause })
    this.code = code
    this.retryable = data.retryable
    if (data.file !== undefined) this.file = data.file
    if (data.url !== undefined) this.url = data.url
    if (data.httpStatus !== undefined) this.httpStatus = data.httpStatus
    if (data.limitBytes !== undefined) this.limitBytes = data.limitBytes
  }
}
