/** The seven statuses the server uses (shared/wavespeed-api.md §3). */
export type PredictionStatus =
  'created' | 'processing' | 'completed' | 'failed' | 'cancelled' | 'timeout' | 'deleted'

/** A prediction as `GET /api/v3/predictions/{id}/result` returns it in `data`. */
export interface Prediction {
  readonly id: string
  readonly model?: string
  readonly status: PredictionStatus
  /** Output URLs; some models return objects with a `url`. */
  readonly outputs?: readonly (string | { readonly url?: string })[]
  readonly urls?: { readonly get?: string }
  readonly has_nsfw_contents?: readonly boolean[]
  /** ISO timestamp. */
  readonly created_at?: string
  /** `""` when there is no error. */
  readonly error?: string
  /** Business code of a failure, e.g. 1200; 5004 also marks a sync-mode timeout. */
  readonly code?: number
  readonly executionTime?: number
  readonly timings?: { readonly inference?: number }
  /** The submitted input, when the service echoes it. */
  readonly input?: Readonly<Record<string, unknown>>
}

/** Input fields of a model, flat, as sent in the submit body. */
export type ModelInput = Readonly<Record<string, unknown>>

/** A submission: which model, with which input. */
export interface SubmitRequest {
  readonly model: string
  readonly input: ModelInput
}

export interface UploadResult {
  readonly downloadUrl: string
  readonly type?: string
  readonly size?: number
}

export interface HistoryQuery {
  /** 1-based. Default 1. */
  readonly page?: number
  /** 1..100. Default 100. */
  readonly pageSize?: number
  readonly model?: string
  readonly status?: PredictionStatus
  /** Epoch ms; sent as an ISO timestamp. */
  readonly createdAfter?: number
  readonly createdBefore?: number
}

export interface HistoryPage {
  readonly page: number
  readonly items: readonly Prediction[]
}
