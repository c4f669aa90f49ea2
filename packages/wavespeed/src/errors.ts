/**
 * Every failure the WaveSpeed client reports, as one class with a string code.
 *
 * The properties mirror `ProviderErrorInfo` from `@storyreel/core` (`ambiguous`,
 * `retryable`, `predictionId`) so the scheduler can act on them without knowing
 * this package.
 */

export type WaveSpeedErrorCode =
  /** Client configuration refused before any request: no API key, a key with a line break, a non-https base URL. */
  | 'WS_CONFIG'
  /** HTTP 401: the API key was refused. */
  | 'WS_AUTH'
  /** HTTP 403 for a reason other than the balance. */
  | 'WS_FORBIDDEN'
  /** HTTP 403 (or a message) saying the account has no credit left. */
  | 'WS_INSUFFICIENT_BALANCE'
  /** HTTP 400 on a request: the body was rejected before any prediction existed. */
  | 'WS_BAD_REQUEST'
  /** HTTP 404 on an API path (unknown model or prediction id). */
  | 'WS_NOT_FOUND'
  /** An upload over `maxUploadBytes` (refused before it is read), or HTTP 413. */
  | 'WS_TOO_LARGE'
  /** HTTP 429, still refused after the allowed retries. */
  | 'WS_RATE_LIMITED'
  /** HTTP 5xx, still failing after the allowed retries. */
  | 'WS_SERVER'
  /** The connection failed (refused, reset, timed out). */
  | 'WS_NETWORK'
  /** A 2xx answer whose body is not the expected envelope. */
  | 'WS_BAD_RESPONSE'
  /** An API answer larger than `maxResponseBytes`: reading stopped there. */
  | 'WS_RESPONSE_TOO_LARGE'
  /** The submission may or may not have created a (paid) prediction. */
  | 'WS_SUBMIT_AMBIGUOUS'
  /** Business code 1200. */
  | 'WS_MODERATION'
  /** Business code 1400. */
  | 'WS_MISSING_PARAM'
  /** Business code 1401. */
  | 'WS_INVALID_PARAM'
  /** Business code 1402: the service could not fetch an input URL. */
  | 'WS_MEDIA_ACCESS'
  /** Status `failed` (codes 1403, 1405, 5000, 5003, or none). */
  | 'WS_PREDICTION_FAILED'
  /** Status `cancelled`. */
  | 'WS_CANCELLED'
  /** Status `timeout` or business code 5004 on a finished prediction. */
  | 'WS_TIMEOUT'
  /** Status `deleted`. */
  | 'WS_DELETED'
  /** `waitForResult` gave up after its own time limit; the prediction may still finish. */
  | 'WS_WAIT_TIMEOUT'
  /** The prediction's status could not be read for longer than `maxUnreadableMs`; it may still finish. */
  | 'WS_STATUS_UNKNOWN'
  /** The upload ticket or PUT failed. */
  | 'WS_UPLOAD'
  /** A download failed after its retries. */
  | 'WS_DOWNLOAD'
  /** An output larger than `maxDownloadBytes`: nothing was kept. */
  | 'WS_DOWNLOAD_TOO_LARGE'
  /** The output URL answered 404/410: outputs are deleted after 7 days. */
  | 'WS_OUTPUT_EXPIRED'
  /** A URL the client refuses to fetch: not https (also after a redirect), or a redirect of a request that carries the key. */
  | 'WS_UNSAFE_URL'
  /** A webhook delivery failed verification. */
  | 'WS_WEBHOOK_INVALID'

export interface WaveSpeedErrorDetails {
  readonly cause?: unknown
  readonly predictionId?: string
  readonly model?: string
  readonly httpStatus?: number
  /** `data.code` from a prediction, e.g. 1200. */
  readonly businessCode?: number
  /** The API's own message, redacted. */
  readonly apiMessage?: string
  /** True when trying again later may succeed. */
  readonly retryable?: boolean
  /** True when it is unknown whether a paid prediction was created. */
  readonly ambiguous?: boolean
  /** True when the prediction reached a final failure (see `ProviderErrorInfo`); only then is a new one warranted. */
  readonly predictionEnded?: boolean
  /** True when the failed prediction's price was given back, so it is not spend. */
  readonly refunded?: boolean
  /** How long the service asked us to wait (429 Retry-After). */
  readonly retryAfterMs?: number
}

export class WaveSpeedError extends Error {
  override readonly name = 'WaveSpeedError'
  readonly code: WaveSpeedErrorCode
  readonly predictionId?: string
  readonly model?: string
  readonly httpStatus?: number
  readonly businessCode?: number
  readonly apiMessage?: string
  readonly retryable: boolean
  readonly ambiguous: boolean
  readonly predictionEnded: boolean
  readonly refunded: boolean
  readonly retryAfterMs?: number

  constructor(code: WaveSpeedErrorCode, message: string, details: WaveSpeedErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.code = code
    this.retryable = details.retryable ?? false
    this.ambiguous = details.ambiguous ?? false
    this.predictionEnded = details.predictionEnded ?? false
    this.refunded = details.refunded ?? false
    // Only defined facts become properties, so logs and snapshots stay short.
    if (details.predictionId !== undefined) this.predictionId = details.predictionId
    if (details.model !== undefined) this.model = details.model
    if (details.httpStatus !== undefined) this.httpStatus = details.httpStatus
    if (details.businessCode !== undefined) this.businessCode = details.businessCode
    if (details.apiMessage !== undefined) this.apiMessage = details.apiMessage
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs
  }
}

/** True for an error this package threw with one of the given codes. */
export function isWaveSpeedError(error: unknown, ...codes: WaveSpeedErrorCode[]): error is WaveSpeedError {
  return error instanceof WaveSpeedError && (codes.length === 0 || codes.includes(error.code))
}
