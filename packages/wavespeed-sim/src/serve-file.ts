import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'

export type FileSource = { readonly path: string } | { readonly bytes: Buffer }

function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'invalid' | undefined {
  if (!header) return undefined
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!match || (match[1] === '' && match[2] === '')) return 'invalid'
  let start: number
  let end: number
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]))
    end = size - 1
  } else {
    start = Number(match[1])
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)
  }
  return start > end || start >= size ? 'invalid' : { start, end }
}

function open(source: FileSource, start: number, end: number): Readable {
  return 'path' in source
    ? createReadStream(source.path, { start, end })
    : Readable.from([source.bytes.subarray(start, end + 1)])
}

/**
 * Serves a file like a CDN: Content-Length, single byte ranges (206/416), HEAD.
 * With `truncate`, it announces the full length, sends about half, then destroys
 * the socket, the way a broken transfer looks to a client.
 */
export async function serveFile(
  req: IncomingMessage,
  res: ServerResponse,
  source: FileSource,
  options: { contentType: string; truncate: boolean },
): Promise<void> {
  const size = 'path' in source ? (await stat(source.path)).size : source.bytes.length
  const range = parseRange(req.headers.range, size)
  if (range === 'invalid') {
    res.writeHead(416, { 'content-range': `bytes */${size}` })
    res.end()
    return
  }
  const { start, end } = range ?? { start: 0, end: size - 1 }
  const length = end - start + 1
  res.writeHead(range ? 206 : 200, {
    'content-type': options.contentType,
    'content-length': length,
    'accept-ranges': 'bytes',
    ...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
  })
  if (req.method === 'HEAD' || length === 0) {
    res.end()
    return
  }
  if (!options.truncate) {
    open(source, start, end).pipe(res)
    return
  }
  const cut = start + Math.max(0, Math.floor(length / 2) - 1)
  const stream = open(source, start, cut)
  stream.on('end', () => res.socket?.destroy())
  stream.pipe(res, { end: false })
}
