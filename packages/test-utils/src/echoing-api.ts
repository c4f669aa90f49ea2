import { createReadStream } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { onTestFinished } from 'vitest'

export interface EchoingApi {
  /** Base URL, e.g. for `WAVESPEED_BASE_URL`. */
  readonly url: string
  /** Predictions created so far. */
  readonly created: () => number
}

/**
 * A hostile stand-in for WaveSpeed's `/api/v3` that renders instantly and echoes the caller's
 * API key back in every prediction id, output URL and upload URL, as a careless or malicious service could,
 * so tests can check the key reaches no file and no output. Serves `clip` as every output.
 * On 127.0.0.1; closed when the test ends.
 */
export async function startEchoingApi(options: {
  readonly key: string
  readonly clip: string
}): Promise<EchoingApi> {
  let created = 0
  const send = (res: ServerResponse, data: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ code: 200, message: 'success', data }))
  }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    req.resume()
    if (req.headers.authorization !== `Bearer ${options.key}` && path.startsWith('/api/')) {
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ code: 401, message: 'Invalid API key' }))
      return
    }
    const result = /^\/api\/v3\/predictions\/([^/]+)\/result$/.exec(path)
    if (path === '/api/v3/balance') return send(res, { balance: 100 })
    if (result) {
      const id = decodeURIComponent(result[1]!)
      return send(res, {
        id,
        status: 'completed',
        outputs: [`${base}/outputs/${options.key}/${encodeURIComponent(id)}.mp4`],
        created_at: new Date().toISOString(),
        timings: { inference: 1000 },
      })
    }
    // Uploads: no ticket flow, so the client falls back to the multipart upload, whose URL carries the key too.
    if (path === '/api/v3/media/uploads')
      return void res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ code: 404, message: 'not found' }))
    if (path === '/api/v3/media/upload/binary')
      return send(res, { download_url: `${base}/media/${options.key}/${Date.now()}.png`, type: 'image' })
    if (req.method === 'POST' && path.startsWith('/api/v3/')) {
      const id = `${options.key}-prediction-${++created}`
      return send(res, {
        id,
        model: path.slice('/api/v3/'.length),
        status: 'created',
        outputs: [],
        created_at: new Date().toISOString(),
        urls: { get: `${base}/api/v3/predictions/${id}/result` },
      })
    }
    if (path.startsWith('/outputs/')) {
      res.writeHead(200, { 'content-type': 'video/mp4' })
      return void createReadStream(options.clip).pipe(res)
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onTestFinished(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, created: () => created }
}
