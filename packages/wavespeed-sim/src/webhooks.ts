import { createHmac, randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'

const RETRIES = 3
const ATTEMPT_TIMEOUT_MS = 10_000

export function createWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('hex')}`
}

/** `v3,<hex HMAC-SHA256>` over `id.timestamp.body`, keyed by the secret without its `whsec_` prefix (not base64-decoded). */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret
  return `v3,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('hex')}`
}

export interface WebhookDelivery {
  readonly url: string
  readonly predictionId: string
  readonly attempts: number
  /** HTTP status of the last attempt, or undefined when it never got an answer. */
  readonly status?: number
  readonly delivered: boolean
}

/**
 * POSTs the bare prediction object, signed, retrying up to 3 times with
 * exponential backoff when the receiver fails or answers non-2xx.
 */
export async function deliverWebhook(options: {
  url: string
  /** The `webhook-id`: the same for every attempt and duplicate of one message. */
  id: string
  secret: string
  prediction: { readonly id: string }
  retryBaseMs: number
  signal: AbortSignal
}): Promise<WebhookDelivery> {
  const body = JSON.stringify(options.prediction)
  const webhookId = options.id
  let status: number | undefined
  for (let attempt = 0; attempt <= RETRIES; attempt++) {
    if (attempt > 0)
      await sleep(options.retryBaseMs * 2 ** (attempt - 1), undefined, { signal: options.signal })
    const timestamp = Math.floor(Date.now() / 1000)
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': webhookId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(options.secret, webhookId, timestamp, body),
        },
        body,
        signal: AbortSignal.any([options.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
      })
      status = response.status
      await response.arrayBuffer()
      if (response.ok)
        return {
          url: options.url,
          predictionId: options.prediction.id,
          attempts: attempt + 1,
          status,
          delivered: true,
        }
    } catch {
      if (options.signal.aborted) break
      status = undefined
    }
  }
  return {
    url: options.url,
    predictionId: options.prediction.id,
    attempts: RETRIES + 1,
    status,
    delivered: false,
  }
}
