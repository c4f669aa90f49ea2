import { once } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { onTestFinished } from 'vitest'

export interface SeenRequest {
  readonly method: string
  readonly path: string
  readonly headers: IncomingMessage['headers']
  readonly body: string
}

export type Handler = (req: SeenRequest, res: ServerResponse) => unknown

/** A real HTTP server on 127.0.0.1:0 that records requests; closed when the test ends. */
export async function startFakeApi(handler: Handler): Promise<{ url: string; seen: SeenRequest[] }> {
  const seen: SeenRequest[] = []
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const request = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    }
    seen.push(request)
    try {
      await handler(request, res)
    } catch (error) {
      res.statusCode = 599
      res.end(String(error))
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onTestFinished(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}

export function envelope(
  res: ServerResponse,
  status: number,
  data?: unknown,
  headers: Record<string, string> = {},
  message = status === 200 ? 'success' : 'error',
): void {
  const text = JSON.stringify(
    data === undefined ? { code: status, message } : { code: status, message, data },
  )
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(text)
}

/** Fast retry and submit policies so failure paths run in milliseconds. */
export { TEST_SERVER_CLIENT as FAST } from '@storyreel/test-utils'

/**
 * A hostile body: `prefix`, then filler up to `total` bytes, written as fast as the client reads and
 * stopped when it hangs up. `sent.bytes` counts what the client let through.
 */
export async function pour(
  res: ServerResponse,
  options: { prefix?: string; total: number; sent: { bytes: number }; headers?: Record<string, string> },
): Promise<void> {
  res.writeHead(200, options.headers ?? {})
  if (options.prefix) res.write(options.prefix)
  const chunk = Buffer.alloc(64 * 1024, 'a')
  const closed = once(res, 'close')
  while (options.sent.bytes < options.total && !res.destroyed) {
    options.sent.bytes += chunk.length
    if (!res.write(chunk)) await Promise.race([once(res, 'drain'), closed])
  }
  res.end()
}
