import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isLoopbackHost } from './client-config.ts'
import { isWaveSpeedError, WaveSpeedError } from './errors.ts'
import { BodyLimitError, readLimited } from './internal/read-body.ts'
import type { WebhookInbox } from './webhook-inbox.ts'
import { createWebhookInbox } from './webhook-inbox.ts'

export interface WebhookReceiverOptions {
  /** The secret that signs deliveries (`client.webhookSecret()`). */
  readonly secret: string
  /**
   * The public https address that reaches `port` on this machine (a tunnel such as
   * `cloudflared tunnel --url http://127.0.0.1:PORT`). Default: the local address itself,
   * which only a simulator on this machine can reach.
   */
  readonly publicUrl?: string
  /** Port on 127.0.0.1. Default 0: any free one (see `port`). */
  readonly port?: number
  /** Largest delivery accepted. Default 1 MB (a delivery is one prediction, a few KB). */
  readonly maxBodyBytes?: number
}

export interface WebhookReceiver {
  /** The URL to give WaveSpeed (the provider's `webhook` option): the public address plus a secret path. */
  readonly url: string
  /** Where it listens: `http://127.0.0.1:PORT`, the tunnel's target. */
  readonly localUrl: string
  readonly port: number
  /** Verified deliveries, for `waitForResult({ inbox })` or the provider's `inbox` option. */
  readonly inbox: WebhookInbox
  close(): Promise<void>
}

/**
 * Listens on 127.0.0.1 for WaveSpeed's webhook deliveries and hands verified ones to an inbox.
 * A request must come to the secret path this receiver made up (so a stranger who finds the
 * tunnel cannot even reach the signature check), name this receiver in its Host header (the
 * public host, or the local address a tunnel may rewrite it to), and carry a valid signature.
 *
 * @throws WaveSpeedError `WS_CONFIG` for a public URL that is not https (loopback aside).
 */
export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  const publicBase = options.publicUrl === undefined ? undefined : publicAddress(options.publicUrl)
  const maxBytes = options.maxBodyBytes ?? 1024 * 1024
  const inbox = createWebhookInbox({ secret: options.secret })
  const token = randomBytes(16).toString('hex')
  const server = createServer((req, res) => void receive(req, res))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  const localUrl = `http://127.0.0.1:${port}`
  const base = publicBase ?? new URL(localUrl)
  const url = new URL(`${base.pathname.replace(/\/$/, '')}/wavespeed-webhook/${token}`, base)
  const hosts = new Set([url.host, `127.0.0.1:${port}`, `localhost:${port}`])

  async function receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const answer = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(`${text}\n`)
    }
    if (!hosts.has(String(req.headers.host).toLowerCase())) return answer(421, 'Not this receiver.')
    if (req.url?.split('?')[0] !== url.pathname) return answer(404, 'Not found.')
    if (req.method !== 'POST') return answer(405, 'Deliveries are POSTs.')
    if (Number(req.headers['content-length']) > maxBytes) return answer(413, 'Too large for a delivery.')
    try {
      const rawBody = await readLimited(req, { maxBytes, timeoutMs: 10_000 })
      inbox.accept({ headers: req.headers, rawBody })
      answer(200, 'ok')
    } catch (error) {
      if (error instanceof BodyLimitError) return answer(error.limit === 'size' ? 413 : 408, error.message)
      answer(
        isWaveSpeedError(error, 'WS_WEBHOOK_INVALID') ? 400 : 500,
        isWaveSpeedError(error) ? error.message : 'The delivery could not be read.',
      )
    }
  }

  return {
    url: url.href,
    localUrl,
    port,
    inbox,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function publicAddress(publicUrl: string): URL {
  let url: URL | undefined
  try {
    url = new URL(publicUrl)
  } catch {
    // reported below
  }
  if (url && (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))))
    return url
  throw new WaveSpeedError(
    'WS_CONFIG',
    `The webhook URL must be a public https address that reaches this machine (a tunnel); got "${publicUrl.slice(0, 100)}".`,
  )
}
