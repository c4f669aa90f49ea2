import type { ModelSpec } from './catalog.ts'
import type { ImageRef, ShotParams } from './plan-types.ts'

/**
 * What a provider is asked to render: one clip. Images are local files or URLs;
 * a provider that needs URLs uploads files itself.
 */
export interface RenderRequest {
  readonly shotId: string
  readonly model: ModelSpec
  readonly params: ShotParams
  readonly startImage?: ImageRef
  readonly endImage?: ImageRef
  /**
   * Which take of the shot this is, 1-based (default 1). Takes of a shot send the
   * same parameters; a provider that can vary them (a seed, a camera move) uses it.
   */
  readonly take?: number
}

export type ProviderPhase = 'uploading' | 'submitting' | 'queued' | 'processing'

export interface ProviderCallOptions {
  readonly signal?: AbortSignal
  readonly onPhase?: (phase: ProviderPhase) => void
  /** Called when the service answered "too many requests", so the caller can slow down. */
  readonly onRateLimit?: (retryAfterMs: number) => void
}

/**
 * Facts a provider's errors carry as properties, so the scheduler can decide
 * what to do without knowing the provider.
 */
export interface ProviderErrorInfo {
  /** It is unknown whether a prediction was created: recover before submitting again. */
  readonly ambiguous?: boolean
  /** A new attempt may succeed (a server-side failure); false for moderation or invalid input. */
  readonly retryable?: boolean
  readonly predictionId?: string
  /**
   * The prediction itself reached a final failure (the service said failed, cancelled, timed out or
   * deleted). Any other error from `wait` means its status could not be read: it may still finish and
   * is paid for, so the caller waits for it again later instead of creating another.
   */
  readonly predictionEnded?: boolean
  /**
   * The service gave back what the prediction cost (WaveSpeed refunds predictions that end failed,
   * cancelled or timed out, not deleted ones): the caller counts it out of its spend.
   */
  readonly refunded?: boolean
}

export interface RenderResult {
  /** Where the finished clip can be fetched: an URL, or a local file path for local providers. */
  readonly output: string
  /** Time the provider spent rendering, when it says. */
  readonly inferenceMs?: number
}

/**
 * One way of turning a shot into a clip. The scheduler records every id that
 * `submit` returns before doing anything else with it, so a crashed run can
 * re-attach with `wait` instead of paying again.
 */
export interface Provider {
  readonly name: string
  /** True when `submit` costs money. */
  readonly paid: boolean
  /**
   * Creates the prediction and returns its id. Sends the creating request at most
   * once; a failure that leaves it unknown whether a prediction was created must be
   * resolved inside (e.g. by looking it up) or thrown as an error whose
   * `ambiguous` flag is true.
   */
  submit(request: RenderRequest, options?: ProviderCallOptions): Promise<{ readonly id: string }>
  /** Finds a prediction for `request` created at or after `since` (epoch ms), for resuming after a crash. */
  recover?(request: RenderRequest, since: number, options?: ProviderCallOptions): Promise<string | undefined>
  /**
   * Waits until the prediction is finished. Throws an error with `predictionEnded: true` when it failed;
   * any other error leaves the prediction to be waited for again.
   */
  wait(id: string, options?: ProviderCallOptions): Promise<RenderResult>
  /** Writes the finished clip to `dest` (atomically: a partial file never has that name). */
  download(result: RenderResult, dest: string, options?: ProviderCallOptions): Promise<void>
}
