import { createHmac, timingSafeEqual } from 'node:crypto'
import { WaveSpeedError } from './errors.ts'
import type { Prediction } from './types.ts'

/** Node's `IncomingHttpHeaders`, a fetch `Headers`, or a plain record. */
export type WebhookHeaders =
  { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>

export interface VerifyWebhookInput {
  readonly headers: WebhookHeaders
  /** The body exactly as received; re-serialised JSON does not verify. */
  readonly rawBody: string | Uint8Array
  /** The secret from `GET /api/v3/webhook/secret`, with or without its `whsec_` prefix. */
  readonly secret: string
  /** Maximum age (and future skew) of `webhook-timestamp`, in seconds. Default 300. */
  readonly toleranceSec?: number
  /** Current time in epoch ms. Default `Date.now()`. */
  readonly now?: number
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof headers.get === 'function')
    return (headers as { get(name: string): string | null }).get(name) ?? undefined
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>
  const key = Object.keys(record).find((k) => k.toLowerCase() === name)
  const value = key === undefined ? undefined : record[key]
  return typeof value === 'string' ? value : value?.[0]
}

function invalid(message: string): WaveSpeedError {
  return new WaveSpeedError('WS_WEBHOOK_INVALID', message)
}

/**
 * Verifies a WaveSpeed webhook delivery and returns the prediction it carries.
 * The signature is `v3,<hex HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">`
 * keyed with the secret minus its `whsec_` prefix (used as text, not base64-decoded),
 * compared in constant time. Several space-separated signatures are accepted.
 *
 * @throws WaveSpeedError `WS_WEBHOOK_INVALID` (missing headers, stale timestamp, bad signature).
 * @example
 *   const prediction = verifyWebhook({ headers: req.headers, rawBody, secret: process.env.WAVESPEED_WEBHOOK_SECRET })
 */
export function verifyWebhook(input: VerifyWebhookInput): Prediction {
  const id = header(input.headers, 'webhook-id')
  const timestamp = header(input.headers, 'webhook-timestamp')
  const signatures = header(input.headers, 'webhook-signature')
  if (!id || !timestamp || !signatures)
    throw invalid(
      'The webhook delivery lacks webhook-id, webhook-timestamp or webhook-signature; it did not come from WaveSpeed.',
    )
  const seconds = Number(timestamp)
  const tolerance = input.toleranceSec ?? 300
  const nowSec = (input.now ?? Date.now()) / 1000
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSec - seconds) > tolerance)
    throw invalid(
      `The webhook timestamp ${timestamp.slice(0, 20)} is more than ${tolerance} s from now; rejecting it as a possible replay (check the server clock).`,
    )
  const body =
    typeof input.rawBody === 'string' ? Buffer.from(input.rawBody, 'utf8') : Buffer.from(input.rawBody)
  const key = input.secret.startsWith('whsec_') ? input.secret.slice('whsec_'.length) : input.secret
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest()
  const ok = signatures.split(' ').some((entry) => {
    const [version, hex] = entry.split(',', 2)
    if (version !== 'v3' || hex === undefined || !/^[0-9a-f]+$/i.test(hex)) return false
    const given = Buffer.from(hex, 'hex')
    return given.length === expected.length && timingSafeEqual(given, expected)
  })
  if (!ok)
    throw invalid(
      'The webhook signature does not match: check the webhook secret, and verify the raw body before parsing it.',
    )
  try {
    return JSON.parse(body.toString('utf8')) as Prediction
  } catch (cause) {
    throw new WaveSpeedError('WS_WEBHOOK_INVALID', 'The webhook body is signed but is not JSON.', { cause })
  }
}
