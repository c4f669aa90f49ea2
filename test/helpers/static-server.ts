import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.mp4': 'video/mp4',
  '.png': 'image/png',
  '.json': 'application/json',
}

/** Serves a directory on 127.0.0.1 with byte ranges, which browsers use to read video metadata. */
export async function serveDirectory(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)))
    if (!path.startsWith(root)) return void res.writeHead(403).end()
    try {
      const { size } = await stat(path)
      const type = TYPES[extname(path)] ?? 'application/octet-stream'
      const range = /bytes=(\d*)-(\d*)/.exec(req.headers.range ?? '')
      if (range) {
        const start = range[1] ? Number(range[1]) : size - Number(range[2])
        const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1
        res.writeHead(206, {
          'content-type': type,
          'content-length': end - start + 1,
          'content-range': `bytes ${start}-${end}/${size}`,
          'accept-ranges': 'bytes',
        })
        createReadStream(path, { start, end }).pipe(res)
      } else {
        res.writeHead(200, { 'content-type': type, 'content-length': size, 'accept-ranges': 'bytes' })
        createReadStream(path).pipe(res)
      }
    } catch {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
