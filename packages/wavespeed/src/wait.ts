import { WaveSpeedError, isWaveSpeedError } from './errors.ts'
import { sleep } from './internal/backoff.ts'
import type { ClientContext } from './internal/context.ts'
import { withRetry } from './internal/retry.ts'
import { callApi } from './internal/transport.ts'
import { POLL_ECONOMICAL, pollInterval } from './polling.ts'
import type { PollPolicy } from './polling.ts'
import { isFailed, predictionError } from './prediction-outcome.ts'
import type { Prediction, PredictionStatus } from './types.ts'

export interface WaitOptions {
  readonly signal?: AbortSignal
  /** Default `POLL_ECONOMICAL`. */
  readonly poll?: PollPolicy
  /** Epoch ms the render started (submission time); the schedule counts from it. Default: now. */
  readonly startedAt?: number
  /** Give up (WS_WAIT_TIMEOUT) after this long from `startedAt`; the prediction keeps running. Default: none. */
  readonly timeoutMs?: number
  /** Polls in a row that may fail (after their own retries) before giving up. Default 5. */
  readonly maxFailedPolls?: number
  /** Called on the first answer and on each status change. */
  readonly onStatus?: (status: PredictionStatus, prediction: Prediction) => void
  readonly onRateLimit?: (retryAfterMs: number) => void
}

/** `GET /api/v3/predictions/{id}/result`, retried on 429/5xx/network errors. */
export function getResult(ctx: ClientContext, id: string, options: { signal?: AbortSignal; onRateLimit?: (ms: number) => void } = {}): Promise<Prediction> {
  const { signal, onRateLimit } = options
  return withRetry(
    () =>
      callApi<Prediction>(ctx.transport, { method: 'GET', path: `/api/v3/predictions/${encodeURIComponent(id)}/result`, signal, timeoutMs: ctx.requestTimeoutMs }),
    ctx.retry,
    { signal, onRateLimit },
  )
}

/**
 * Polls until the prediction completes, on the adaptive schedule of `polling.ts`.
 * A poll that still fails after its retries is skipped rather than fatal, because
 * the render is paid for and keeps running; only `maxFailedPolls` in a row give up.
 *
 * @throws WaveSpeedError for a failed, cancelled, timed-out or deleted prediction
 *   (see `prediction-outcome.ts`), or `WS_WAIT_TIMEOUT`.
 */
export async function waitForResult(ctx: ClientContext, id: string, options: WaitOptions = {}): Promise<Prediction> {
  const { signal } = options
  const policy = options.poll ?? POLL_ECONOMICAL
  const startedAt = options.startedAt ?? Date.now()
  const maxFailed = options.maxFailedPolls ?? 5
  let next = startedAt + policy.firstMs
  let failedPolls = 0
  let lastStatus: PredictionStatus | undefined
  for (;;) {
    await sleep(Math.max(0, next - Date.now()), signal)
    let prediction: Prediction
    try {
      prediction = await getResult(ctx, id, { signal, onRateLimit: options.onRateLimit })
      failedPolls = 0
    } catch (error) {
      if (signal?.aborted) throw signal.reason
      if (!isWaveSpeedError(error) || !error.retryable || ++failedPolls >= maxFailed) throw withId(error, id)
      prediction = { id, status: lastStatus ?? 'created' }
    }
    if (prediction.status !== lastStatus && failedPolls === 0) {
      lastStatus = prediction.status
      options.onStatus?.(prediction.status, prediction)
    }
    if (prediction.status === 'completed') return prediction
    if (isFailed(prediction.status)) throw predictionError({ ...prediction, id: prediction.id || id }, ctx.transport.redact)
    const now = Date.now()
    if (options.timeoutMs !== undefined && now - startedAt >= options.timeoutMs)
      throw new WaveSpeedError(
        'WS_WAIT_TIMEOUT',
        `Prediction ${id} is still ${prediction.status} after ${Math.round((now - startedAt) / 1000)} s; it keeps running at WaveSpeed. Wait for it again later instead of submitting a new one.`,
        { predictionId: id, retryable: true },
      )
    next = now + pollInterval(now - startedAt, policy)
  }
}

function withId(error: unknown, id: string): unknown {
  if (!isWaveSpeedError(error) || error.predictionId !== undefined) return error
  return new WaveSpeedError(error.code, `While waiting for prediction ${id}: ${error.message}`, {
    cause: error,
    predictionId: id,
    httpStatus: error.httpStatus,
    apiMessage: error.apiMessage,
    retryable: error.retryable,
  })
}
