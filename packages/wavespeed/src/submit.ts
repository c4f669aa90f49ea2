import { isWaveSpeedError, WaveSpeedError } from './errors.ts'
import { findPrediction } from './find-prediction.ts'
import { jitteredDelay, sleep } from './internal/backoff.ts'
import type { ClientContext } from './internal/context.ts'
import { redactCause } from './internal/redact.ts'
import { callApi } from './internal/transport.ts'
import type { Prediction, SubmitRequest } from './types.ts'

export interface SubmitOptions {
  /** Delivered a signed POST when the prediction finishes (`?webhook=` on the submit URL). */
  readonly webhook?: string
  /** Hold the connection until the render ends (`enable_sync_mode`); the answer may still be `processing` (code 5004). */
  readonly sync?: boolean
  readonly signal?: AbortSignal
  /** Called when WaveSpeed answered 429, with the wait before the next try. */
  readonly onRateLimit?: (retryAfterMs: number) => void
  /** Called when an ambiguous submission was resolved by adopting a prediction found in history. */
  readonly onAdopt?: (prediction: Prediction) => void
}

/**
 * Creates a prediction, paying at most once unless history proves otherwise.
 *
 * 1. The POST is sent once. Only failures that prove nothing was created are
 *    retried with backoff: 429 (waiting at least Retry-After) and connection
 *    errors raised before the request was sent.
 * 2. Any other failure after sending (5xx, timeout, reset, unreadable body) is
 *    ambiguous: after `settleMs`, history is searched for the same model and input
 *    created since the first attempt began; a match is adopted.
 * 3. Only when history answered and showed nothing may the POST be sent again,
 *    at most `maxResubmits` times. If history cannot be reached, the error is
 *    thrown with `ambiguous: true` so the caller can journal it and call
 *    `findPrediction` later.
 */
export async function submitPrediction(
  ctx: ClientContext,
  request: SubmitRequest,
  options: SubmitOptions = {},
): Promise<Prediction> {
  const { signal } = options
  const policy = ctx.submit
  const firstAttempt = Date.now()
  const body = options.sync ? { ...request.input, enable_sync_mode: true } : request.input
  const query = options.webhook === undefined ? undefined : { webhook: options.webhook }
  let retries = 0
  let resubmits = 0
  for (;;) {
    signal?.throwIfAborted()
    try {
      const prediction = await callApi<Prediction>(ctx.transport, {
        method: 'POST',
        path: `/api/v3/${request.model}`,
        query,
        body,
        signal,
        timeoutMs: options.sync ? ctx.syncTimeoutMs : ctx.requestTimeoutMs,
        creates: true,
        model: request.model,
      })
      if (typeof prediction.id !== 'string' || prediction.id === '')
        throw new WaveSpeedError(
          'WS_BAD_RESPONSE',
          `WaveSpeed accepted the ${request.model} submission but returned no prediction id. A prediction may have been created.`,
          {
            ambiguous: true,
            retryable: true,
            model: request.model,
          },
        )
      ctx.claimed.add(prediction.id)
      return prediction
    } catch (error) {
      if (signal?.aborted) throw abortedInFlight(request, signal.reason, ctx)
      if (!isWaveSpeedError(error)) throw error
      if (!error.ambiguous) {
        if (!error.retryable || retries >= policy.retries) throw error
        const delay = Math.max(jitteredDelay(retries, ctx.retry), error.retryAfterMs ?? 0)
        if (error.code === 'WS_RATE_LIMITED') options.onRateLimit?.(delay)
        retries++
        await sleep(delay, signal)
        continue
      }
      const adopted = await lookUp(ctx, request, firstAttempt, error, signal)
      if (adopted) {
        ctx.claimed.add(adopted.id)
        options.onAdopt?.(adopted)
        return adopted
      }
      if (resubmits >= policy.maxResubmits) throw certainlyAbsent(error, request)
      resubmits++
    }
  }
}

/** Resolves an ambiguous failure through history; throws an `ambiguous` error when history cannot tell. */
async function lookUp(
  ctx: ClientContext,
  request: SubmitRequest,
  since: number,
  failure: WaveSpeedError,
  signal?: AbortSignal,
): Promise<Prediction | undefined> {
  try {
    await sleep(ctx.submit.settleMs, signal)
    return await findPrediction(ctx, request, since, { signal })
  } catch (lookupError) {
    if (signal?.aborted) throw abortedInFlight(request, signal.reason, ctx)
    throw new WaveSpeedError(
      'WS_SUBMIT_AMBIGUOUS',
      `${failure.message} Looking it up in history failed too (${lookupError instanceof Error ? lookupError.message : String(lookupError)}), so it is unknown whether a paid ${request.model} prediction exists. Run again later: storyreel will look it up before submitting again.`,
      {
        cause: redactCause(failure, ctx.transport.redact),
        ambiguous: true,
        retryable: true,
        model: request.model,
        httpStatus: failure.httpStatus,
      },
    )
  }
}

function certainlyAbsent(failure: WaveSpeedError, request: SubmitRequest): WaveSpeedError {
  return new WaveSpeedError(
    failure.code,
    `${failure.message} History shows no ${request.model} prediction from these attempts, so nothing was paid for; retry later.`,
    {
      cause: failure,
      retryable: true,
      ambiguous: false,
      model: request.model,
      httpStatus: failure.httpStatus,
    },
  )
}

function abortedInFlight(request: SubmitRequest, reason: unknown, ctx: ClientContext): WaveSpeedError {
  return new WaveSpeedError(
    'WS_SUBMIT_AMBIGUOUS',
    `The ${request.model} submission was aborted while in flight, so a paid prediction may exist. Run again: storyreel will look it up before submitting again.`,
    {
      cause: redactCause(reason, ctx.transport.redact),
      ambiguous: true,
      retryable: true,
      model: request.model,
    },
  )
}
