import type { IncomingMessage, ServerResponse } from 'node:http'

/** Thrown while reading a request; turned into an envelope with this HTTP status. */
export class HttpProblem extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.status = status
  }
}

/** Reads the whole request body, refusing more than `limit` bytes with 413. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > limit)
    throw new HttpProblem(413, `Request body is ${declared} bytes; the limit is ${limit} bytes.`)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw new HttpProblem(413, `Request body exceeds the limit of ${limit} bytes.`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

/** Parses a JSON object body; an empty body counts as `{}`. */
export async function readJsonObject(
  req: IncomingMessage,
  limit = 1024 * 1024,
): Promise<Record<string, unknown>> {
  const raw = await readBody(req, limit)
  if (raw.length === 0) return {}
  let value: unknown
  try {
    value = JSON.parse(raw.toString('utf8'))
  } catch {
    throw new HttpProblem(
      400,
      'Request body is not valid JSON. Send a JSON object with Content-Type: application/json.',
    )
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpProblem(400, 'Request body must be a JSON object.')
  }
  return value as Record<string, unknown>
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

/** The WaveSpeed envelope: `code` repeats the HTTP status. */
export function sendEnvelope(
  res: ServerResponse,
  status: number,
  message: string,
  data?: unknown,
  headers?: Record<string, string>,
): void {
  sendJson(
    res,
    status,
    data === undefined ? { code: status, message } : { code: status, message, data },
    headers,
  )
}

/** A gateway error page, as a CDN in front of the API would send it: not JSON. */
export function sendGatewayPage(res: ServerResponse, status: number): void {
  const text = `<html><head><title>${status}</title></head><body><center><h1>${status} Gateway Error</h1></center></body></html>`
  res.writeHead(status, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}
