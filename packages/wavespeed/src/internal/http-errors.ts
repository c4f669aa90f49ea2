import type { WaveSpeedErrorCode } from '../errors.ts'
import { WaveSpeedError } from '../errors.ts'

/** Network error codes raised before a request reached the server: nothing was created. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
])

/** True when a transport error proves the request never reached the server. */
export function neverSent(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true
  }
  return false
}

const BALANCE = /balance|insufficient|credit|top.?up|recharge|quota/i

export interface HttpFailure {
  readonly status: number
  readonly what: string
  readonly apiMessage: string
  readonly retryAfterMs?: number
  /** The request may have created something server-side (a POST that creates a prediction). */
  readonly creates: boolean
  readonly model?: string
  readonly cause?: unknown
}

/** Maps an HTTP error status (or a non-200 envelope code) to a typed error with a next step. */
export function httpError(f: HttpFailure): WaveSpeedError {
  const said = f.apiMessage === '' ? '' : `: ${f.apiMessage}`
  const base = `WaveSpeed answered HTTP ${f.status} to ${f.what}${said}`
  const common = { httpStatus: f.status, apiMessage: f.apiMessage, model: f.model, cause: f.cause }
  const make = (
    code: WaveSpeedErrorCode,
    hint: string,
    extra: { retryable?: boolean; ambiguous?: boolean } = {},
  ) => new WaveSpeedError(code, `${base}. ${hint}`, { ...common, retryAfterMs: f.retryAfterMs, ...extra })
  if (f.status === 401) return make('WS_AUTH', 'Check WAVESPEED_API_KEY: the key was refused.')
  if (f.status === 402 || (f.status === 403 && BALANCE.test(f.apiMessage)))
    return make(
      'WS_INSUFFICIENT_BALANCE',
      'Your WaveSpeed balance is too low: top up at https://wavespeed.ai/ and run again.',
    )
  if (f.status === 403)
    return make(
      'WS_FORBIDDEN',
      'The account may not use this endpoint or model; check its access on wavespeed.ai.',
    )
  if (f.status === 404)
    return make('WS_NOT_FOUND', 'Check the model id or prediction id (predictions are deleted after 7 days).')
  if (f.status === 413) return make('WS_TOO_LARGE', 'Use a smaller file (images up to 10 MB for Kling).')
  if (f.status === 429)
    return make('WS_RATE_LIMITED', 'Too many requests; wait and retry, or lower concurrency.', {
      retryable: true,
    })
  if (f.status >= 500)
    return make(
      'WS_SERVER',
      f.creates ? 'The prediction may or may not have been created.' : 'The service failed; retry later.',
      { retryable: true, ambiguous: f.creates },
    )
  if (f.status >= 400) return make('WS_BAD_REQUEST', 'Fix the request parameters; nothing was created.')
  return make('WS_BAD_RESPONSE', 'Unexpected status.', { retryable: true, ambiguous: f.creates })
}

/** A readable excerpt of a non-JSON body (an HTML gateway page, say). */
export function excerpt(text: string, max = 160): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]
  const flat = (title ?? text.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max)}…` : flat
}

/** The API's message from an envelope or one of the other error shapes it uses. */
export function messageOf(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined
  const o = json as Record<string, unknown>
  for (const key of ['message', 'error', 'detail'] as const) {
    const value = o[key]
    if (typeof value === 'string' && value !== '' && value.toLowerCase() !== 'success') return value
  }
  return undefined
}
