import type { Dispatcher } from 'undici'
import { WaveSpeedError } from './errors.ts'
import { downloadOutput } from './download.ts'
import type { DownloadOptions, DownloadReport } from './download.ts'
import { findPrediction, queryHistory } from './find-prediction.ts'
import type { FindOptions } from './find-prediction.ts'
import type { ClientContext, SubmitPolicy } from './internal/context.ts'
import { createRedactor } from './internal/redact.ts'
import type { RetryOptions } from './internal/retry.ts'
import { withRetry } from './internal/retry.ts'
import { callApi } from './internal/transport.ts'
import type { PollPolicy } from './polling.ts'
import { submitPrediction } from './submit.ts'
import type { SubmitOptions } from './submit.ts'
import { uploadMedia } from './upload.ts'
import type { UploadSource } from './upload.ts'
import { getResult, waitForResult } from './wait.ts'
import type { WaitOptions } from './wait.ts'
import type { HistoryPage, HistoryQuery, Prediction, SubmitRequest, UploadResult } from './types.ts'

export const DEFAULT_BASE_URL = 'https://api.wavespeed.ai'

export interface ClientOptions {
  readonly apiKey: string
  /** Default `https://api.wavespeed.ai`. */
  readonly baseUrl?: string
  /** undici dispatcher for every request (pooling, proxies, tests). Default: undici's global one. */
  readonly dispatcher?: Dispatcher
  /** Limit for response headers and each body chunk, in ms. Default 30 000. */
  readonly requestTimeoutMs?: number
  /** Limit for a sync-mode submission, in ms. Default 150 000. */
  readonly syncTimeoutMs?: number
  /** Retries of idempotent calls. Default `{ retries: 4, baseMs: 500, capMs: 8000 }`. */
  readonly retry?: Partial<RetryOptions>
  /** Submission failure policy. Default `{ retries: 5, settleMs: 2000, skewMs: 30 000, maxResubmits: 1 }`. */
  readonly submit?: Partial<SubmitPolicy>
  /** Default polling policy of `waitForResult`. Default `POLL_ECONOMICAL`. */
  readonly poll?: PollPolicy
  /** Sent as `X-Client-Name`. Default `storyreel`. */
  readonly clientName?: string
}

type Signal = { readonly signal?: AbortSignal }

export interface WaveSpeedClient {
  readonly baseUrl: string
  /** `POST /api/v3/{model}`: creates a paid prediction, at most once (see `submit.ts`). */
  submit(request: SubmitRequest, options?: SubmitOptions): Promise<Prediction>
  /** `GET /api/v3/predictions/{id}/result`, retried on 429/5xx/network errors. */
  getResult(id: string, options?: Signal & { onRateLimit?: (ms: number) => void }): Promise<Prediction>
  /** Polls until completed; throws a typed error for failed/cancelled/timeout/deleted. */
  waitForResult(id: string, options?: WaitOptions): Promise<Prediction>
  /** Submits, then waits (or returns the sync-mode answer when it is already finished). */
  run(request: SubmitRequest, options?: SubmitOptions & WaitOptions): Promise<Prediction>
  /** Finds an unclaimed prediction of this model and input created since `since` (epoch ms). */
  findPrediction(request: SubmitRequest, since: number, options?: FindOptions): Promise<Prediction | undefined>
  /** Uploads an image (ticket flow, multipart fallback); returns its `download_url`. */
  upload(source: UploadSource, options?: Signal): Promise<UploadResult>
  /** `GET /api/v3/balance`, in USD. */
  balance(options?: Signal): Promise<number>
  /** `POST /api/v3/predictions`: one page of the last 7 days. */
  history(query?: HistoryQuery, options?: Signal): Promise<HistoryPage>
  /** Streams an output URL to `dest` atomically, resuming broken transfers. */
  download(url: string, dest: string, options?: DownloadOptions): Promise<DownloadReport>
}

function parseBaseUrl(baseUrl: string): URL {
  try {
    const url = new URL(baseUrl)
    if (url.protocol === 'https:' || url.protocol === 'http:') return url
  } catch {
    // reported below
  }
  throw new WaveSpeedError('WS_CONFIG', `WAVESPEED_BASE_URL must be an http(s) URL such as ${DEFAULT_BASE_URL}; got "${baseUrl.slice(0, 100)}".`)
}

/**
 * Creates a WaveSpeed client. The key is held in a closure: it is not a property
 * of the client and is redacted from every error.
 *
 * @example
 *   const client = createClient({ apiKey: process.env.WAVESPEED_API_KEY! })
 *   const done = await client.run({ model: 'kwaivgi/kling-v2.1-t2v-master', input: { prompt: 'a red fox', duration: 5 } })
 */
export function createClient(options: ClientOptions): WaveSpeedClient {
  if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '')
    throw new WaveSpeedError('WS_CONFIG', 'No WaveSpeed API key: set WAVESPEED_API_KEY (create one at https://wavespeed.ai/accesskey).')
  const redact = createRedactor(options.apiKey)
  const baseUrl = parseBaseUrl(redact(options.baseUrl ?? DEFAULT_BASE_URL))
  const ctx: ClientContext = {
    transport: {
      baseUrl,
      apiKey: options.apiKey,
      dispatcher: options.dispatcher,
      redact,
      headers: { 'x-client-name': options.clientName ?? 'storyreel', 'x-client-os': process.platform },
    },
    retry: { retries: 4, baseMs: 500, capMs: 8000, ...options.retry },
    submit: { retries: 5, settleMs: 2000, skewMs: 30_000, maxResubmits: 1, ...options.submit },
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    syncTimeoutMs: options.syncTimeoutMs ?? 150_000,
    claimed: new Set(),
  }
  const withPoll = (o: WaitOptions = {}): WaitOptions => (o.poll || !options.poll ? o : { ...o, poll: options.poll })
  const client: WaveSpeedClient = {
    baseUrl: baseUrl.href.replace(/\/$/, ''),
    submit: (request, o) => submitPrediction(ctx, request, o),
    getResult: (id, o) => getResult(ctx, id, o),
    waitForResult: (id, o) => waitForResult(ctx, id, withPoll(o)),
    async run(request, o = {}) {
      const startedAt = Date.now()
      const submitted = await submitPrediction(ctx, request, o)
      if (submitted.status === 'completed' && submitted.outputs?.length) return submitted
      return waitForResult(ctx, submitted.id, withPoll({ startedAt, ...o }))
    },
    findPrediction: (request, since, o) => findPrediction(ctx, request, since, o),
    upload: (source, o) => uploadMedia(ctx, source, o?.signal),
    async balance(o = {}) {
      const data = await withRetry(
        () => callApi<{ balance?: unknown }>(ctx.transport, { method: 'GET', path: '/api/v3/balance', signal: o.signal, timeoutMs: ctx.requestTimeoutMs }),
        ctx.retry,
        { signal: o.signal },
      )
      if (typeof data.balance !== 'number') throw new WaveSpeedError('WS_BAD_RESPONSE', 'WaveSpeed answered GET /api/v3/balance without a numeric balance.', { retryable: true })
      return data.balance
    },
    history: (query = {}, o = {}) => queryHistory(ctx, query, o.signal),
    download: (url, dest, o) => downloadOutput(ctx, url, dest, o),
  }
  return client
}

/**
 * A client configured from `WAVESPEED_API_KEY` and `WAVESPEED_BASE_URL`.
 *
 * @throws WaveSpeedError `WS_CONFIG` when the key is missing.
 */
export function clientFromEnv(env: Readonly<Record<string, string | undefined>> = process.env, options: Omit<ClientOptions, 'apiKey' | 'baseUrl'> = {}): WaveSpeedClient {
  const apiKey = env.WAVESPEED_API_KEY ?? ''
  const baseUrl = env.WAVESPEED_BASE_URL?.trim() || DEFAULT_BASE_URL
  return createClient({ ...options, apiKey, baseUrl })
}
