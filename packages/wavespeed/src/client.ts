import type { Dispatcher } from 'undici'
import { checkApiKey, checkBaseUrl, DEFAULT_BASE_URL, insecureAllowedByEnv } from './client-config.ts'
import type { DownloadOptions, DownloadReport } from './download.ts'
import { downloadOutput } from './download.ts'
import { WaveSpeedError } from './errors.ts'
import type { FindOptions } from './find-prediction.ts'
import { findPrediction, queryHistory } from './find-prediction.ts'
import type { ClientContext, ClientLimits, SubmitPolicy } from './internal/context.ts'
import { createRedactor } from './internal/redact.ts'
import type { RetryOptions } from './internal/retry.ts'
import { withRetry } from './internal/retry.ts'
import { callApi } from './internal/transport.ts'
import type { PollPolicy } from './polling.ts'
import type { SubmitOptions } from './submit.ts'
import { submitPrediction } from './submit.ts'
import type { HistoryPage, HistoryQuery, Prediction, SubmitRequest, UploadResult } from './types.ts'
import type { UploadSource } from './upload.ts'
import { uploadMedia } from './upload.ts'
import type { WaitOptions } from './wait.ts'
import { getResult, waitForResult } from './wait.ts'

const MB = 1024 * 1024

export interface ClientOptions {
  /** Whitespace around it is dropped; a key with a line break or another stray character is `WS_CONFIG`. */
  readonly apiKey: string
  /** Default `https://api.wavespeed.ai`. Plain http only for loopback hosts, unless `allowInsecureBaseUrl`. */
  readonly baseUrl?: string
  /** Accept a plain-http base URL on any host: the key then crosses the network unencrypted. Default false. */
  readonly allowInsecureBaseUrl?: boolean
  /** undici dispatcher for every request (pooling, proxies, tests). Default: undici's global one. */
  readonly dispatcher?: Dispatcher
  /** Limit for response headers, and for a whole API answer's body, in ms. Default 30 000. */
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
  /** Largest API answer (JSON) read; more is `WS_RESPONSE_TOO_LARGE`. Default 4 MB. */
  readonly maxResponseBytes?: number
  /** Largest output file downloaded; more is `WS_DOWNLOAD_TOO_LARGE`. Default 500 MB. */
  readonly maxDownloadBytes?: number
  /** Longest one `download` call may take, retries included. Default 15 minutes. */
  readonly downloadTimeoutMs?: number
  /** Largest file `upload` sends, checked before it is read. Default 10 MB (WaveSpeed's limit for Kling images). */
  readonly maxUploadBytes?: number
}

type Signal = { readonly signal?: AbortSignal }

export interface WaveSpeedClient {
  readonly baseUrl: string
  readonly limits: ClientLimits
  /** `text` with the API key (as sent, and URL-encoded) replaced by `[redacted]`: for anything written or shown. */
  redact(text: string): string
  /** `POST /api/v3/{model}`: creates a paid prediction, at most once (see `submit.ts`). */
  submit(request: SubmitRequest, options?: SubmitOptions): Promise<Prediction>
  /** `GET /api/v3/predictions/{id}/result`, retried on 429/5xx/network errors. */
  getResult(id: string, options?: Signal & { onRateLimit?: (ms: number) => void }): Promise<Prediction>
  /** Polls until completed; throws a typed error for failed/cancelled/timeout/deleted. */
  waitForResult(id: string, options?: WaitOptions): Promise<Prediction>
  /** Submits, then waits (or returns the sync-mode answer when it is already finished). */
  run(request: SubmitRequest, options?: SubmitOptions & WaitOptions): Promise<Prediction>
  /** Finds an unclaimed prediction of this model and input created since `since` (epoch ms). */
  findPrediction(
    request: SubmitRequest,
    since: number,
    options?: FindOptions,
  ): Promise<Prediction | undefined>
  /** Uploads an image (ticket flow, multipart fallback); returns its `download_url`. */
  upload(source: UploadSource, options?: Signal): Promise<UploadResult>
  /** `GET /api/v3/balance`, in USD. */
  balance(options?: Signal): Promise<number>
  /** `POST /api/v3/predictions`: one page of the last 7 days. */
  history(query?: HistoryQuery, options?: Signal): Promise<HistoryPage>
  /** `GET /api/v3/webhook/secret`: the secret that signs webhook deliveries to this account. */
  webhookSecret(options?: Signal): Promise<string>
  /** Streams an output URL to `dest` atomically, resuming broken transfers. */
  download(url: string, dest: string, options?: DownloadOptions): Promise<DownloadReport>
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
  const apiKey = checkApiKey(options.apiKey)
  const redact = createRedactor(apiKey)
  const baseUrl = checkBaseUrl(redact(options.baseUrl ?? DEFAULT_BASE_URL), {
    allowInsecure: options.allowInsecureBaseUrl,
  })
  const limits: ClientLimits = {
    maxResponseBytes: options.maxResponseBytes ?? 4 * MB,
    maxDownloadBytes: options.maxDownloadBytes ?? 500 * MB,
    downloadTimeoutMs: options.downloadTimeoutMs ?? 15 * 60_000,
    maxUploadBytes: options.maxUploadBytes ?? 10 * MB,
  }
  const ctx: ClientContext = {
    transport: {
      baseUrl,
      apiKey,
      dispatcher: options.dispatcher,
      redact,
      headers: { 'x-client-name': options.clientName ?? 'storyreel', 'x-client-os': process.platform },
      maxResponseBytes: limits.maxResponseBytes,
    },
    retry: { retries: 4, baseMs: 500, capMs: 8000, ...options.retry },
    submit: { retries: 5, settleMs: 2000, skewMs: 30_000, maxResubmits: 1, ...options.submit },
    limits,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    syncTimeoutMs: options.syncTimeoutMs ?? 150_000,
    claimed: new Set(),
  }
  const withPoll = (o: WaitOptions = {}): WaitOptions =>
    o.poll || !options.poll ? o : { ...o, poll: options.poll }
  const client: WaveSpeedClient = {
    baseUrl: baseUrl.href.replace(/\/$/, ''),
    limits,
    redact,
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
        () =>
          callApi<{ balance?: unknown }>(ctx.transport, {
            method: 'GET',
            path: '/api/v3/balance',
            signal: o.signal,
            timeoutMs: ctx.requestTimeoutMs,
          }),
        ctx.retry,
        { signal: o.signal },
      )
      if (typeof data.balance !== 'number')
        throw new WaveSpeedError(
          'WS_BAD_RESPONSE',
          'WaveSpeed answered GET /api/v3/balance without a numeric balance.',
          { retryable: true },
        )
      return data.balance
    },
    history: (query = {}, o = {}) => queryHistory(ctx, query, o.signal),
    async webhookSecret(o = {}) {
      const data = await withRetry(
        () =>
          callApi<{ secret?: unknown }>(ctx.transport, {
            method: 'GET',
            path: '/api/v3/webhook/secret',
            signal: o.signal,
            timeoutMs: ctx.requestTimeoutMs,
          }),
        ctx.retry,
        { signal: o.signal },
      )
      if (typeof data.secret !== 'string' || data.secret === '')
        throw new WaveSpeedError(
          'WS_BAD_RESPONSE',
          'WaveSpeed answered GET /api/v3/webhook/secret without a secret; retry later.',
          { retryable: true },
        )
      return data.secret
    },
    download: (url, dest, o) => downloadOutput(ctx, url, dest, o),
  }
  return client
}

/**
 * A client configured from `WAVESPEED_API_KEY`, `WAVESPEED_BASE_URL` and `STORYREEL_INSECURE_BASE_URL`
 * (`1` allows a plain-http base URL on a non-loopback host, as `allowInsecureBaseUrl` does).
 *
 * @throws WaveSpeedError `WS_CONFIG` when the key is missing or malformed, or the base URL is refused.
 */
export function clientFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: Omit<ClientOptions, 'apiKey' | 'baseUrl'> = {},
): WaveSpeedClient {
  const apiKey = env.WAVESPEED_API_KEY ?? ''
  const baseUrl = env.WAVESPEED_BASE_URL?.trim() || DEFAULT_BASE_URL
  const allowInsecureBaseUrl = options.allowInsecureBaseUrl ?? insecureAllowedByEnv(env)
  return createClient({ ...options, apiKey, baseUrl, allowInsecureBaseUrl })
}
