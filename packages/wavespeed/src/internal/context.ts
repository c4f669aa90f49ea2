import type { RetryOptions } from './retry.ts'
import type { Transport } from './transport.ts'

/** How a submission behaves when it fails; see `submit.ts`. */
export interface SubmitPolicy {
  /** Retries of a submission refused with 429 or never sent (connection refused). */
  readonly retries: number
  /** Wait before looking an ambiguous submission up, so a creation still in flight can land. */
  readonly settleMs: number
  /** Allowance for the difference between our clock and the server's, in ms. */
  readonly skewMs: number
  /** New submissions allowed after history proved an ambiguous one absent. */
  readonly maxResubmits: number
}

/** Caps on what the client reads, uploads and downloads; see `ClientOptions`. */
export interface ClientLimits {
  /** Largest API answer read into memory. */
  readonly maxResponseBytes: number
  /** Largest output file downloaded. */
  readonly maxDownloadBytes: number
  /** Longest a download may take, retries included. */
  readonly downloadTimeoutMs: number
  /** Largest file uploaded (WaveSpeed's limit for Kling images). */
  readonly maxUploadBytes: number
}

/** Shared state of one client, passed to each operation module. */
export interface ClientContext {
  readonly transport: Transport
  /** Retry policy of idempotent calls (result, balance, history, upload, download). */
  readonly retry: RetryOptions
  readonly submit: SubmitPolicy
  readonly limits: ClientLimits
  /** Limit for an ordinary request's headers and body chunks. */
  readonly requestTimeoutMs: number
  /** Limit for a sync-mode submission, which holds the connection until the render ends. */
  readonly syncTimeoutMs: number
  /** Ids this client already returned, so a history lookup never adopts one twice. */
  readonly claimed: Set<string>
}
