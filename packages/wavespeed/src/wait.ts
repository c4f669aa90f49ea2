import { isWaveSpeedError, WaveSpeedError } from './errors.ts'
import { sleep } from './internal/backoff.ts'
import type { ClientContext } from './internal/context.ts'
import { withRetry } from './internal/retry.ts'
import { callApi } from './internal/transport.ts'
import type { PollPlan, PollPolicy } from './polling.ts'
import { planOf, POLL_ECONOMICAL } from './polling.ts'
import { isFailed, predictionError } from './prediction-outcome.ts'
import type { Prediction, PredictionStatus } from './types.ts'
import type { WebhookInbox } from './webhook-inbox.ts'

export interface WaitOptions {
  readonly signal?: AbortSignal
  /** A fixed policy, or a plan that adapts to the answers (one per wait). Default `POLL_ECONOMICAL`. */
  readonly poll?: PollPolicy | PollPlan
  /** Epoch ms the render started (submission time); the schedule counts from it. Default: now. */
  readonly startedAt?: number
  /** Give up (WS_WAIT_TIMEOUT) after this long from `startedAt`; the prediction keeps running. Default: none. */
  readonly timeoutMs?: number
  /**
   * How long status reads may keep failing (after their own retries) before giving up with
   * `WS_STATUS_UNKNOWN`. The prediction keeps rendering, and is billed, whether or not its status can
   * be read, so this is generous: default one hour, longer than any Kling render and its queue.
   */
  readonly maxUnreadableMs?: number
  /** Called on the first answer and on each status change. */
  readonly onStatus?: (status: PredictionStatus, prediction: Prediction) => void
  readonly onRateLimit?: (retryAfterMs: number) => void
  /** Finish as soon as a verified webhook delivery for the prediction arrives; polling continues as the fallback. */
  readonly inbox?: WebhookInbox
}

/** `GET /api/v3/predictions/{id}/result`, retried on 429/5xx/network errors. */
export function getResult(
  ctx: ClientContext,
  id: string,
  options: { signal?: AbortSignal; onRateLimit?: (ms: number) => void } = {},
): Promise<Prediction> {
  const { signal, onRateLimit } = options
  return withRetry(
    () =>
      callApi<Prediction>(ctx.transport, {
        method: 'GET',
        path: `/api/v3/predictions/${encodeURIComponent(id)}/result`,
        signal,
        timeoutMs: ctx.requestTimeoutMs,
      }),
    ctx.retry,
    { signal, onRateLimit },
  )
}

/** Default of `maxUnreadableMs`. */
const MAX_UNREADABLE_MS = 60 * 60_000

/**
 * Polls until the prediction completes, on the adaptive schedule of `polling.ts`.
 * A poll that still fails after its retries is not fatal, because the render is paid for and
 * keeps running: the next one comes after a growing pause, until `maxUnreadableMs` in a row.
 *
 * @throws WaveSpeedError for a failed, cancelled, timed-out or deleted prediction
 *   (see `prediction-outcome.ts`, `predictionEnded` set), or, with the prediction possibly still
 *   running, `WS_WAIT_TIMEOUT`, `WS_STATUS_UNKNOWN` or a non-retryable answer such as `WS_AUTH`.
 */
export async function waitForResult(
  ctx: ClientContext,
  id: string,
  options: WaitOptions = {},
): Promise<Prediction> {
  const done = new AbortController()
  const { signal } = options
  const delivered = options.inbox?.next(id, signal ? AbortSignal.any([signal, done.signal]) : done.signal)
  delivered?.catch(() => undefined)
  try {
    return await poll(ctx, id, options, delivered)
  } finally {
    done.abort()
  }
}

async function poll(
  ctx: ClientContext,
  id: string,
  options: WaitOptions,
  delivered: Promise<Prediction> | undefined,
): Promise<Prediction> {
  const { signal } = options
  const plan = planOf(options.poll ?? POLL_ECONOMICAL)
  const startedAt = options.startedAt ?? Date.now()
  const maxUnreadable = options.maxUnreadableMs ?? MAX_UNREADABLE_MS
  let next = startedAt + plan.firstMs
  let interval = plan.firstMs
  let failedPolls = 0
  let unreadableSince: number | undefined
  let lastStatus: PredictionStatus | undefined
  let webhook = delivered
  for (;;) {
    let prediction: Prediction | undefined = await napUnlessDelivered(
      Math.max(0, next - Date.now()),
      signal,
      webhook,
    )
    const viaWebhook = prediction !== undefined
    // A delivery is used once; deliveries come for finished predictions, so this only guards against odd ones.
    if (prediction) webhook = undefined
    else {
      try {
        prediction = await getResult(ctx, id, { signal, onRateLimit: options.onRateLimit })
        failedPolls = 0
        unreadableSince = undefined
      } catch (error) {
        if (signal?.aborted) throw signal.reason
        if (!isWaveSpeedError(error) || !error.retryable) throw withId(error, id)
        const now = Date.now()
        unreadableSince ??= now
        if (now - unreadableSince >= maxUnreadable) throw statusUnknown(id, error, now - unreadableSince)
        next = now + failureBackoff(interval, ++failedPolls, plan.maxMs)
        continue
      }
    }
    if (prediction.status !== lastStatus) {
      lastStatus = prediction.status
      options.onStatus?.(prediction.status, prediction)
    }
    const now = Date.now()
    interval = plan.observe({
      elapsedMs: now - startedAt,
      status: prediction.status,
      ...(viaWebhook ? { delivered: true } : {}),
    })
    if (prediction.status === 'completed') return prediction
    if (isFailed(prediction.status))
      throw predictionError({ ...prediction, id: prediction.id || id }, ctx.transport.redact)
    if (options.timeoutMs !== undefined && now - startedAt >= options.timeoutMs)
      throw new WaveSpeedError(
        'WS_WAIT_TIMEOUT',
        `Prediction ${id} is still ${prediction.status} after ${Math.round((now - startedAt) / 1000)} s; it keeps running at WaveSpeed. Wait for it again later instead of submitting a new one.`,
        { predictionId: id, retryable: true },
      )
    next = now + interval
  }
}

/** Sleeps until the next poll, or returns early with a webhook delivery. */
async function napUnlessDelivered(
  ms: number,
  signal: AbortSignal | undefined,
  delivered: Promise<Prediction> | undefined,
): Promise<Prediction | undefined> {
  if (!delivered) return sleep(ms, signal).then(() => undefined)
  const woken = new AbortController()
  const nap = sleep(ms, signal ? AbortSignal.any([signal, woken.signal]) : woken.signal).then(() => undefined)
  try {
    return await Promise.race([nap, delivered])
  } catch (error) {
    if (signal?.aborted) throw signal.reason
    throw error
  } finally {
    woken.abort()
    nap.catch(() => undefined)
  }
}

/** Pause after the nth failed poll in a row: the usual interval, doubled each time, capped at twice the plan's longest. */
function failureBackoff(interval: number, failedPolls: number, maxMs: number): number {
  return Math.min(2 * Math.max(maxMs, 1000), Math.max(interval, 1) * 2 ** Math.min(failedPolls, 16))
}

function statusUnknown(id: string, error: WaveSpeedError, forMs: number): WaveSpeedError {
  return new WaveSpeedError(
    'WS_STATUS_UNKNOWN',
    `Could not read the status of prediction ${id} for ${Math.round(forMs / 1000)} s (last answer: ${error.message}). It may still be rendering, and it is paid for: run again later to pick it up; it is not submitted again.`,
    {
      cause: error,
      predictionId: id,
      httpStatus: error.httpStatus,
      apiMessage: error.apiMessage,
      retryable: true,
    },
  )
}

function withId(error: unknown, id: string): unknown {
  if (!isWaveSpeedError(error) || error.predictionId !== undefined) return error
  return new WaveSpeedError(error.code, `While waiting for prediction ${id}: ${error.message}`, {
    cause: error,
    predictionId: id,
    httpStatus: error.httpStatus,
    apiMessage: error.apiMessage,
    retryable: error.retryable,
    predictionEnded: error.predictionEnded,
  })
}
