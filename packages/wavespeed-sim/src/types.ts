import type { FaultKind, Faults, RouteName } from './faults.ts'
import type { SimModel } from './models.ts'
import type { WebhookDelivery } from './webhooks.ts'

/** The seven statuses the real service uses. */
export type PredictionStatus =
  'created' | 'processing' | 'completed' | 'failed' | 'cancelled' | 'timeout' | 'deleted'

export interface SimulatorOptions {
  /** Port on 127.0.0.1; default 0 (any free port). */
  readonly port?: number
  /** The only Bearer key accepted; default `sim-key-<random hex>`. */
  readonly apiKey?: string
  /** Account balance in USD; default 100. Each prediction is charged its model's price when created. */
  readonly balance?: number
  /** Render time of every prediction in ms; default 1000. Ignored when `latency` is given. */
  readonly latencyMs?: number
  /** Render time per prediction in ms, e.g. to model real minutes per model and duration. */
  readonly latency?: (model: SimModel, duration: number) => number
  /**
   * Moves each prediction's render time by up to this many ms either way (uniform,
   * never below 0), drawn from the request and its take so runs repeat; default 0.
   */
  readonly latencyJitterMs?: number
  /** Identical requests give different clips (takes), as the real API's do; default true. False: one clip per request. */
  readonly distinctTakes?: boolean
  /** Minimum time a prediction stays `created` before it may start; default 0. */
  readonly queueDelayMs?: number
  /** Predictions processing at once for the key; more wait as `created`. Default 2 (the Bronze tier). */
  readonly concurrency?: number
  /** Predictions the key may create per rolling minute; past it submits get 429 with Retry-After. Default unlimited. */
  readonly ratePerMinute?: number
  /** Fault injection, deterministic for `faults.seed`. */
  readonly faults?: Faults
  /** How long outputs stay downloadable after completion, in ms; default 7 days. */
  readonly outputTtlMs?: number
  /** How long uploaded files stay downloadable, in ms; default 7 days. */
  readonly uploadTtlMs?: number
  /** Clip size relative to the model's nominal size (1080p x 0.25 = 270 px tall); default 0.25. */
  readonly videoScale?: number
  /** How long `enable_sync_mode` blocks before answering with the 5004 sync-timeout shape, in ms; default 90 000. */
  readonly syncTimeoutMs?: number
  /** Accept bare base64 and data: URIs in image fields (the HF provider sends them); default false (they fail with 1402). */
  readonly acceptBase64Images?: boolean
  /** First webhook retry delay in ms, doubling per retry; default 1000. */
  readonly webhookRetryBaseMs?: number
  /** Webhook signing secret (`whsec_...`); default random. */
  readonly webhookSecret?: string
  /** Where generated clips are cached by input hash; default a shared folder in the OS temp dir. */
  readonly cacheDir?: string
  /** ffmpeg processes at once; default the number of CPUs. */
  readonly renderConcurrency?: number
  /** The ffmpeg binary; default `FFMPEG_PATH`, else `ffmpeg` on `PATH`. */
  readonly ffmpegPath?: string
}

/** One submit request as the simulator received it. */
export interface SubmissionRecord {
  /** Epoch ms. */
  readonly time: number
  /** The model path the request named. */
  readonly model: string
  /** The JSON body exactly as received. */
  readonly params: Readonly<Record<string, unknown>>
  /** Keys the model does not take: stripped, as the real API does. */
  readonly dropped: readonly string[]
  readonly webhook?: string
  /** HTTP status answered (200 also when the connection was then dropped by a fault). */
  readonly status: number
  readonly message?: string
  /** Set when a prediction was created. */
  readonly id?: string
  /** Input images, filled in as the simulator fetches them (before the prediction processes). */
  readonly images: readonly SubmittedImage[]
}

export interface SubmittedImage {
  readonly field: string
  /** The URL given (base64 payloads are shortened). */
  readonly ref: string
  readonly sha256?: string
  /** 1401/1402 when the image was refused. */
  readonly code?: number
}

/** A prediction as the API shows it (`data` of the result endpoint). */
export interface PredictionView {
  readonly id: string
  readonly model: string
  readonly input: Readonly<Record<string, unknown>>
  readonly status: PredictionStatus
  readonly outputs: readonly string[]
  readonly urls: { readonly get: string }
  readonly has_nsfw_contents: readonly boolean[]
  readonly created_at: string
  readonly error: string
  readonly executionTime: number
  readonly timings: { readonly inference: number }
  /** Business code of a failure (1200, 1401, 1402, 5000...). */
  readonly code?: number
}

export interface SimulatorStats {
  /** Predictions created, per model id. */
  readonly created: Readonly<Record<string, number>>
  readonly createdTotal: number
  /** USD charged when predictions were created. */
  readonly charged: number
  /** USD given back for predictions that ended failed, cancelled or timeout. */
  readonly refunded: number
  readonly balance: number
  /** Requests received, per route. */
  readonly requests: Readonly<Partial<Record<RouteName, number>>>
  /** 429 answers, from the per-minute limit and from injected faults. */
  readonly rateLimited: number
  readonly faults: Readonly<Partial<Record<FaultKind, number>>>
  /** Predictions created and not finished (`created` or `processing`) right now. */
  readonly outstanding: number
  /** The most predictions ever outstanding at once: what a client's concurrency limit must bound. */
  readonly maxOutstanding: number
  /** Clips rendered with ffmpeg (cache misses). */
  readonly renders: number
  /** ffmpeg processes those renders took (queued clips share one). */
  readonly renderProcesses: number
  readonly webhooks: readonly WebhookDelivery[]
}

/** What happened to one prediction and when. Times are epoch ms (fractional) from one monotonic clock. */
export interface PredictionTimeline {
  readonly id: string
  readonly model: string
  readonly status: PredictionStatus
  /** Which identical submission this was, from 0: takes of one request have different clips. */
  readonly take: number
  /** The render time it was given (the latency, jittered), ms; `finishedAt - startedAt` is never less for a completed one. */
  readonly latencyMs: number
  /** USD charged when it was created. */
  readonly cost: number
  readonly createdAt: number
  /** When it left `created` for `processing`. */
  readonly startedAt?: number
  /** When it reached its terminal status (completed, failed...). */
  readonly finishedAt?: number
  /** Result requests for it, faulted ones included: the client's polls. */
  readonly resultRequests: number
  /** When a result request first answered its terminal status: `noticedAt - finishedAt` is the client's lag. */
  readonly noticedAt?: number
  /** GETs of its output URL. */
  readonly downloads: number
}
