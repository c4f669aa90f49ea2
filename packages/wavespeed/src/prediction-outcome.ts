import type { WaveSpeedErrorCode } from './errors.ts'
import { WaveSpeedError } from './errors.ts'
import type { Prediction, PredictionStatus } from './types.ts'

const TERMINAL_FAILURES: ReadonlySet<PredictionStatus> = new Set([
  'failed',
  'cancelled',
  'timeout',
  'deleted',
])

/** True once a prediction can no longer change: completed or one of the four failures. */
export function isFinished(status: PredictionStatus): boolean {
  return status === 'completed' || TERMINAL_FAILURES.has(status)
}

export function isFailed(status: PredictionStatus): boolean {
  return TERMINAL_FAILURES.has(status)
}

interface Outcome {
  readonly code: WaveSpeedErrorCode
  readonly retryable: boolean
  readonly hint: string
}

const BY_BUSINESS_CODE: Readonly<Record<number, Outcome>> = {
  1200: {
    code: 'WS_MODERATION',
    retryable: false,
    hint: 'Content moderation rejected it: change the prompt or the input images.',
  },
  1400: { code: 'WS_MISSING_PARAM', retryable: false, hint: 'A required parameter was missing.' },
  1401: {
    code: 'WS_INVALID_PARAM',
    retryable: false,
    hint: 'A parameter was invalid (check image size >= 300x300, aspect 1:2.5..2.5:1, JPEG/PNG <= 10 MB).',
  },
  1402: {
    code: 'WS_MEDIA_ACCESS',
    retryable: false,
    hint: 'WaveSpeed could not download an input image: make sure its URL is public and not expired.',
  },
  1403: {
    code: 'WS_PREDICTION_FAILED',
    retryable: true,
    hint: 'The task failed to execute; a new attempt may succeed.',
  },
  1405: {
    code: 'WS_PREDICTION_FAILED',
    retryable: true,
    hint: 'The task failed; a new attempt may succeed.',
  },
  5000: { code: 'WS_PREDICTION_FAILED', retryable: true, hint: 'Internal error at WaveSpeed; retry later.' },
  5003: { code: 'WS_PREDICTION_FAILED', retryable: true, hint: 'WaveSpeed was unavailable; retry later.' },
  5004: { code: 'WS_TIMEOUT', retryable: true, hint: 'The render timed out at WaveSpeed; retry later.' },
}

const BY_STATUS: Readonly<Partial<Record<PredictionStatus, Outcome>>> = {
  cancelled: {
    code: 'WS_CANCELLED',
    retryable: false,
    hint: 'It was cancelled; render the shot again if you still want it.',
  },
  timeout: { code: 'WS_TIMEOUT', retryable: true, hint: 'The render timed out at WaveSpeed; retry later.' },
  deleted: {
    code: 'WS_DELETED',
    retryable: false,
    hint: 'It was deleted (predictions are kept 7 days); render the shot again.',
  },
}

const UNKNOWN_FAILURE: Outcome = {
  code: 'WS_PREDICTION_FAILED',
  retryable: true,
  hint: 'A new attempt may succeed.',
}

/** The typed error for a prediction that ended in `failed`, `cancelled`, `timeout` or `deleted`. */
export function predictionError(p: Prediction, redact: (s: string) => string): WaveSpeedError {
  const outcome =
    BY_STATUS[p.status] ?? (p.code === undefined ? undefined : BY_BUSINESS_CODE[p.code]) ?? UNKNOWN_FAILURE
  const apiMessage = redact(p.error ?? '')
  const codeText = p.code === undefined || p.code === 0 ? '' : ` (code ${p.code})`
  const said = apiMessage === '' ? '' : `: ${apiMessage}`
  return new WaveSpeedError(
    outcome.code,
    `Prediction ${p.id}${p.model ? ` (${p.model})` : ''} ended ${p.status}${codeText}${said}. ${outcome.hint}`,
    {
      predictionId: p.id,
      model: p.model,
      businessCode: p.code === 0 ? undefined : p.code,
      apiMessage,
      retryable: outcome.retryable,
      predictionEnded: true,
      // WaveSpeed gives the price back for a render that failed, was cancelled or timed out (as the
      // simulator models it); a deleted prediction was delivered, so it stays charged.
      refunded: p.status !== 'deleted',
    },
  )
}

/** First output URL of a completed prediction (outputs are strings, or objects with `url`). */
export function outputUrl(p: Prediction): string | undefined {
  const first = p.outputs?.[0]
  return typeof first === 'string' ? first : first?.url
}
