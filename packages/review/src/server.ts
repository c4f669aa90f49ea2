import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { reviewError } from './errors.ts'
import { createEventStream } from './event-stream.ts'
import { createGuard } from './guard.ts'
import { pageAsset, pageHtml } from './page-assets.ts'
import { pageSnapshot } from './page-snapshot.ts'
import { createRenderJob } from './render-job.ts'
import { serveRunFile } from './run-files.ts'
import type { ReviewBackend } from './types.ts'
import { watchFile } from './watch-file.ts'

export interface ReviewServerOptions {
  /** The storyboard: watched, so an edit saved in any editor reaches the page without a reload. */
  readonly storyboardFile: string
  readonly backend: ReviewBackend
  /** A loopback IPv4 address. Default `127.0.0.1`. */
  readonly host?: string
  /** Default 0: a free port, chosen by the system. */
  readonly port?: number
  /** Quiet time after the last change to the storyboard before it is read again. Default 150 ms. */
  readonly debounceMs?: number
}

export interface ReviewServer {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string
  readonly port: number
  /** True while a render the page started is running. */
  rendering(): boolean
  /** Stops a render in flight (as `render`'s Ctrl-C does, its records written), ends every page's stream, and closes. */
  close(): Promise<void>
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
} as const

const MAX_BODY_BYTES = 16 * 1024

function json(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
    .end(JSON.stringify(body))
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return undefined
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) return undefined
    chunks.push(chunk)
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

function listen(server: ReturnType<typeof createServer>, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        reviewError(
          'REVIEW_LISTEN',
          `cannot listen on ${host}:${port}: ${error.code ?? error.message}`,
          { host, port, reason: error.code ?? 'UNKNOWN' },
          error,
        ),
      )
    })
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port))
  })
}

/**
 * Starts the review page of one storyboard on a loopback address. Every request must name exactly
 * that address in its Host header, and every POST must carry the page's per-server token, so neither
 * another website nor a DNS-rebinding page can pick a take or start a paid render.
 */
export async function startReviewServer(options: ReviewServerOptions): Promise<ReviewServer> {
  const host = options.host ?? '127.0.0.1'
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) {
    throw reviewError(
      'REVIEW_INVALID_OPTION',
      `host must be a loopback IPv4 address such as 127.0.0.1, not "${host}"`,
      { option: 'host', value: host },
    )
  }
  const { backend } = options
  const events = createEventStream()
  let latest: unknown
  let refreshing: Promise<void> | undefined
  let again = false
  // One read at a time; changes arriving meanwhile cause exactly one more read, so the page ends on the newest state.
  const refresh = (): Promise<void> => {
    if (refreshing) {
      again = true
      return refreshing
    }
    refreshing = (async () => {
      do {
        again = false
        try {
          latest = await pageSnapshot(await backend.snapshot(), backend.runDir)
          events.send('snapshot', latest)
        } catch (error) {
          events.send('failure', { message: error instanceof Error ? error.message : String(error) })
        }
      } while (again)
    })().finally(() => {
      refreshing = undefined
    })
    return refreshing
  }
  const job = createRenderJob(backend, events, () => void refresh())

  // Assigned once the server listens (the Host it accepts names the bound port); requests before that get 503.
  // eslint-disable-next-line prefer-const
  let guard: ReturnType<typeof createGuard> | undefined
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value)
    // The port, and so the only Host accepted, is known once listening; nothing is served before.
    if (!guard) return void res.writeHead(503).end()
    const refusal = guard.refusal(req)
    if (refusal) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end(`forbidden: ${refusal}`)
      return
    }
    const url = new URL(req.url ?? '/', 'http://localhost')
    const route = `${req.method} ${url.pathname}`
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (url.pathname === '/') {
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
          .end(await pageHtml(guard.token))
      } else if (url.pathname.startsWith('/files/')) {
        await serveRunFile(req, res, backend.runDir, url.pathname.slice('/files/'.length))
      } else if (url.pathname === '/api/snapshot') {
        if (latest === undefined) await refresh()
        json(res, 200, latest)
      } else if (url.pathname === '/api/events') {
        events.attach(res)
        if (latest === undefined) await refresh()
        else events.send('snapshot', latest)
        events.send('render-state', job.state())
      } else {
        const asset = await pageAsset(url.pathname)
        if (asset)
          res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-store' }).end(asset.body)
        else res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found')
      }
      return
    }
    const body = req.method === 'POST' ? await readJson(req) : undefined
    if (!body) {
      json(res, req.method === 'POST' ? 400 : 405, {
        error:
          req.method === 'POST'
            ? 'expected a JSON object (content-type: application/json)'
            : 'method not allowed',
      })
      return
    }
    if (route === 'POST /api/pick') {
      const { shot, take } = body
      if (typeof shot !== 'string' || typeof take !== 'number')
        return json(res, 400, { error: 'expected { "shot": ID, "take": N }' })
      if (job.state().running) return json(res, 409, { error: 'a render is running: pick once it has ended' })
      try {
        await backend.pick(shot, take)
      } catch (error) {
        return json(res, 400, { error: error instanceof Error ? error.message : String(error) })
      }
      await refresh()
      json(res, 200, latest)
    } else if (route === 'POST /api/render') {
      json(res, job.start() ? 202 : 409, job.state())
    } else if (route === 'POST /api/stop') {
      void job.stop()
      json(res, 202, {})
    } else if (route === 'POST /api/answer') {
      const { id, yes } = body
      if (typeof id !== 'string' || typeof yes !== 'boolean')
        return json(res, 400, { error: 'expected { "id": ID, "yes": true|false }' })
      json(res, job.answer(id, yes) ? 200 : 404, {})
    } else {
      json(res, 404, { error: 'not found' })
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: error instanceof Error ? error.message : String(error) })
      else res.destroy()
    })
  })
  const port = await listen(server, host, options.port ?? 0)
  guard = createGuard(`${host}:${port}`)
  const watch = watchFile(options.storyboardFile, () => void refresh(), options.debounceMs)
  return {
    url: `http://${host}:${port}/`,
    port,
    rendering: () => job.state().running,
    async close() {
      watch.close()
      await job.stop()
      await refreshing
      events.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}
