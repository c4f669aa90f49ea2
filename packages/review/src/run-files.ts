import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, isAbsolute, relative, resolve, sep } from 'node:path'

/** Only media leaves the run directory: never its journal, manifest or lock. */
const TYPES: Readonly<Record<string, string>> = {
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.mkv': 'video/x-matroska',
  '.webm': 'video/webm',
  '.png': 'image/png',
}

/** `/files/<path>` for a file relative to the run directory, each segment escaped. */
export function fileUrl(file: string, version?: string): string {
  const path = file.split('/').map(encodeURIComponent).join('/')
  return `/files/${path}${version ? `?v=${encodeURIComponent(version)}` : ''}`
}

/** The absolute path `/files/<rest>` names, when it is a media file inside `runDir` (symlinks resolved), else undefined. */
async function locate(runDir: string, rest: string): Promise<string | undefined> {
  let path: string
  try {
    path = decodeURIComponent(rest)
  } catch {
    return undefined
  }
  if (path.includes('\0') || !(extname(path).toLowerCase() in TYPES)) return undefined
  const root = await realpath(runDir).catch(() => undefined)
  const target = await realpath(resolve(runDir, path)).catch(() => undefined)
  if (!root || !target) return undefined
  const inside = relative(root, target)
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside))
    return undefined
  return target
}

function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'invalid' | undefined {
  if (!header) return undefined
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  // Several ranges are allowed by HTTP but never asked by a <video>: answer them with the whole file.
  if (!match) return header.includes(',') ? undefined : 'invalid'
  if (match[1] === '' && match[2] === '') return 'invalid'
  const start = match[1] === '' ? Math.max(0, size - Number(match[2])) : Number(match[1])
  const end = match[1] === '' || match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)
  return start > end || start >= size ? 'invalid' : { start, end }
}

/** Serves a clip or frame of the run directory with byte ranges, so a <video> plays and seeks; 404 for anything else. */
export async function serveRunFile(
  req: IncomingMessage,
  res: ServerResponse,
  runDir: string,
  rest: string,
): Promise<void> {
  const path = await locate(runDir, rest)
  const info = path ? await stat(path).catch(() => undefined) : undefined
  if (!path || !info?.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found')
    return
  }
  const size = info.size
  const range = parseRange(req.headers.range, size)
  if (range === 'invalid') {
    res.writeHead(416, { 'content-range': `bytes */${size}` }).end()
    return
  }
  const { start, end } = range ?? { start: 0, end: size - 1 }
  res.writeHead(range ? 206 : 200, {
    'content-type': TYPES[extname(path).toLowerCase()]!,
    'content-length': Math.max(0, end - start + 1),
    'accept-ranges': 'bytes',
    // URLs carry a version (`?v=`), so a replaced file is a new URL and the old one may be kept.
    'cache-control': 'private, max-age=3600',
    ...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
  })
  if (req.method === 'HEAD' || size === 0) {
    res.end()
    return
  }
  const stream = createReadStream(path, { start, end })
  stream.on('error', () => res.destroy())
  res.on('close', () => stream.destroy())
  stream.pipe(res)
}
