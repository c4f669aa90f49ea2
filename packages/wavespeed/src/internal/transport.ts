import type { Dispatcher, FormData } from 'undici'
import { request } from 'undici'
import { WaveSpeedError } from '../errors.ts'
import { parseRetryAfter } from './backoff.ts'
import { excerpt, httpError, messageOf, neverSent } from './http-errors.ts'
import { BodyLimitError, megabytes, readLimited } from './read-body.ts'
import type { Redactor } from './redact.ts'
import { redactCause } from './redact.ts'

/** What every API call needs: where, who, how. Built once by `createClient`. */
export interface Transport {
  readonly baseUrl: URL
  readonly apiKey: string
  readonly dispatcher?: Dispatcher
  readonly redact: Redactor
  readonly headers: Readonly<Record<string, string>>
  /** Cap on an answer's body: more is refused, not read into memory. */
  readonly maxResponseBytes: number
}

/**
 * undici's request() follows no redirect, but a caller's dispatcher composed with undici's redirect
 * interceptor would, Authorization header and all; `maxRedirections: 0` turns that interceptor off
 * for one request. (It is not in the request options' type, hence the cast.)
 */
export const NO_REDIRECTS = { maxRedirections: 0 } as object

export interface ApiCall {
  readonly method: 'GET' | 'POST'
  /** Path under the base URL, e.g. `/api/v3/balance`. */
  readonly path: string
  readonly query?: Readonly<Record<string, string>>
  /** Sent as JSON. */
  readonly body?: unknown
  /** Sent as multipart/form-data instead of `body`. */
  readonly form?: FormData
  readonly signal?: AbortSignal
  /** Limit for the response headers, and for the whole body once they arrived. */
  readonly timeoutMs: number
  /** The call creates a paid prediction: mark failures after sending as ambiguous. */
  readonly creates?: boolean
  readonly model?: string
}

export function apiUrl(t: Transport, path: string, query?: Readonly<Record<string, string>>): URL {
  const url = new URL(t.baseUrl.pathname.replace(/\/$/, '') + path, t.baseUrl)
  for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v)
  return url
}

/**
 * Sends one request (never retried here) and returns the envelope's `data`.
 * Throws a `WaveSpeedError`, or `signal.reason` when aborted.
 */
export async function callApi<T>(t: Transport, call: ApiCall): Promise<T> {
  const url = apiUrl(t, call.path, call.query)
  const what = `${call.method} ${url.pathname}`
  const headers: Record<string, string> = {
    ...t.headers,
    authorization: `Bearer ${t.apiKey}`,
    accept: 'application/json',
  }
  if (call.body !== undefined) headers['content-type'] = 'application/json'
  const creates = call.creates ?? false
  let status: number
  let text: string
  let retryAfter: string | undefined
  try {
    const res = await request(url, {
      method: call.method,
      headers,
      body: call.form ?? (call.body === undefined ? null : JSON.stringify(call.body)),
      signal: call.signal,
      headersTimeout: call.timeoutMs,
      bodyTimeout: call.timeoutMs,
      ...NO_REDIRECTS,
      ...(t.dispatcher ? { dispatcher: t.dispatcher } : {}),
    })
    status = res.statusCode
    // A redirect is refused, not followed, so the key never goes to another address.
    if (status >= 300 && status < 400) {
      await res.body.dump().catch(() => undefined)
      throw redirectRefused(t, what, status, res.headers.location, call)
    }
    const ra = res.headers['retry-after']
    retryAfter = Array.isArray(ra) ? ra[0] : ra
    text = (
      await readLimited(res.body, {
        maxBytes: t.maxResponseBytes,
        timeoutMs: call.timeoutMs,
        contentLength: res.headers['content-length'],
      })
    ).toString('utf8')
  } catch (error) {
    if (call.signal?.aborted) throw call.signal.reason
    if (error instanceof WaveSpeedError) throw error
    if (error instanceof BodyLimitError && error.limit === 'size') throw tooLarge(t, what, error.bytes, call)
    const sent = !neverSent(error)
    const detail = error instanceof Error ? error.message : String(error)
    const consequence = !creates
      ? 'Check the network and WAVESPEED_BASE_URL.'
      : sent
        ? 'The request may have reached WaveSpeed, so a prediction may exist.'
        : 'The request never reached WaveSpeed, so nothing was created.'
    throw new WaveSpeedError(
      'WS_NETWORK',
      t.redact(`${what} to ${url.host} failed (${detail}). ${consequence}`),
      {
        cause: redactCause(error, t.redact),
        retryable: true,
        ambiguous: creates && sent,
        model: call.model,
      },
    )
  }
  return parseEnvelope<T>(t, { status, text, retryAfter, what, creates, model: call.model })
}

function tooLarge(t: Transport, what: string, bytes: number, call: ApiCall): WaveSpeedError {
  const creates = call.creates ?? false
  return new WaveSpeedError(
    'WS_RESPONSE_TOO_LARGE',
    `WaveSpeed's answer to ${what} is larger than the ${megabytes(t.maxResponseBytes)} an API answer may be (${megabytes(bytes)} or more); it was not read. ` +
      (creates
        ? 'A prediction may have been created.'
        : 'Check WAVESPEED_BASE_URL points at the WaveSpeed API; retry later.'),
    { retryable: true, ambiguous: creates, model: call.model },
  )
}

function redirectRefused(
  t: Transport,
  what: string,
  status: number,
  location: string | string[] | undefined,
  call: ApiCall,
): WaveSpeedError {
  const to = Array.isArray(location) ? location[0] : location
  const creates = call.creates ?? false
  return new WaveSpeedError(
    'WS_UNSAFE_URL',
    t.redact(
      `WaveSpeed answered HTTP ${status} to ${what}, redirecting to ${to === undefined ? 'nowhere' : JSON.stringify(to.slice(0, 200))}; storyreel does not follow redirects of requests that carry the API key. ` +
        `If the API moved, set WAVESPEED_BASE_URL to its new https address.${creates ? ' A prediction may have been created.' : ''}`,
    ),
    { httpStatus: status, retryable: false, ambiguous: creates, model: call.model },
  )
}

interface Answer {
  readonly status: number
  readonly text: string
  readonly retryAfter: string | undefined
  readonly what: string
  readonly creates: boolean
  readonly model: string | undefined
}

function parseEnvelope<T>(t: Transport, a: Answer): T {
  let json: unknown
  let parseError: unknown
  try {
    json = JSON.parse(a.text)
  } catch (error) {
    parseError = error
  }
  const envelopeCode =
    typeof json === 'object' && json !== null ? (json as { code?: unknown }).code : undefined
  const effective =
    a.status >= 200 && a.status < 300 && typeof envelopeCode === 'number' && envelopeCode !== 200
      ? envelopeCode
      : a.status
  if (effective < 200 || effective >= 300) {
    const apiMessage = t.redact(messageOf(json) ?? (json === undefined ? excerpt(a.text) : ''))
    throw httpError({
      status: effective,
      what: a.what,
      apiMessage,
      retryAfterMs: parseRetryAfter(a.retryAfter),
      creates: a.creates,
      model: a.model,
    })
  }
  const data = typeof json === 'object' && json !== null ? (json as { data?: unknown }).data : undefined
  if (data === undefined || data === null) {
    const got = json === undefined ? `a non-JSON body "${t.redact(excerpt(a.text))}"` : 'JSON without `data`'
    throw new WaveSpeedError(
      'WS_BAD_RESPONSE',
      `WaveSpeed answered ${a.what} with HTTP ${a.status} but ${got}.${a.creates ? ' A prediction may have been created.' : ' Retry later.'}`,
      {
        httpStatus: a.status,
        retryable: true,
        ambiguous: a.creates,
        model: a.model,
        cause: redactCause(parseError, t.redact),
      },
    )
  }
  return data as T
}
