import type { Prediction } from './types.ts'
import type { VerifyWebhookInput } from './webhook.ts'
import { verifyWebhook } from './webhook.ts'

export interface WebhookInbox {
  /**
   * Verifies a delivery (see `verifyWebhook`) and hands its prediction to whoever
   * waits for it. Duplicate deliveries are harmless.
   * @throws WaveSpeedError `WS_WEBHOOK_INVALID`; answer such requests with 400.
   */
  accept(delivery: Pick<VerifyWebhookInput, 'headers' | 'rawBody'>): Prediction
  /** Resolves with the first verified delivery for `id`, including one that arrived earlier. */
  next(id: string, signal?: AbortSignal): Promise<Prediction>
}

/**
 * Collects webhook deliveries so `waitForResult({ inbox })` can finish as soon as
 * one arrives instead of at the next poll. Polling continues as the fallback,
 * because WaveSpeed gives up on a receiver after 3 retries.
 *
 * @example
 *   const inbox = createWebhookInbox({ secret: process.env.WAVESPEED_WEBHOOK_SECRET! })
 *   // in the HTTP handler of the webhook URL: inbox.accept({ headers: req.headers, rawBody })
 *   await client.waitForResult(id, { inbox })
 */
export function createWebhookInbox(options: {
  readonly secret: string
  readonly toleranceSec?: number
}): WebhookInbox {
  const arrived = new Map<string, Prediction>()
  const waiting = new Map<string, Set<(p: Prediction) => void>>()
  return {
    accept(delivery) {
      const prediction = verifyWebhook({
        ...delivery,
        secret: options.secret,
        toleranceSec: options.toleranceSec,
      })
      const waiters = waiting.get(prediction.id)
      if (waiters) {
        waiting.delete(prediction.id)
        for (const resolve of waiters) resolve(prediction)
      } else {
        arrived.set(prediction.id, prediction)
      }
      return prediction
    },
    next(id, signal) {
      const early = arrived.get(id)
      if (early) {
        arrived.delete(id)
        return Promise.resolve(early)
      }
      return new Promise((resolve, reject) => {
        const waiters = waiting.get(id) ?? new Set()
        waiting.set(id, waiters)
        const settle = (p: Prediction): void => {
          signal?.removeEventListener('abort', onAbort)
          resolve(p)
        }
        const onAbort = (): void => {
          waiters.delete(settle)
          if (waiters.size === 0) waiting.delete(id)
          reject(signal?.reason)
        }
        if (signal?.aborted) return onAbort()
        waiters.add(settle)
        signal?.addEventListener('abort', onAbort, { once: true })
      })
    },
  }
}
