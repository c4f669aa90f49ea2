import type { TransformCallback } from 'node:stream'
import { Transform } from 'node:stream'

/** A body went past a limit: `size` bytes (or a Content-Length) above the cap, or `time` ms in transfer. */
export class BodyLimitError extends Error {
  override readonly name = 'BodyLimitError'
  readonly limit: 'size' | 'time'
  /** Bytes received (or announced by Content-Length) when the limit hit. */
  readonly bytes: number

  constructor(limit: 'size' | 'time', bytes: number) {
    super(
      limit === 'size'
        ? `the body is larger than allowed (${bytes} bytes or more)`
        : `the body did not arrive in time (${bytes} bytes received)`,
    )
    this.limit = limit
    this.bytes = bytes
  }
}

interface Body extends AsyncIterable<Uint8Array> {
  destroy(error?: Error): unknown
}

/**
 * Reads a whole body into memory, but never more than `maxBytes` and for no longer than `timeoutMs`:
 * past either the stream is destroyed (closing the connection) and a `BodyLimitError` thrown.
 * A Content-Length above the cap is refused before anything is read.
 */
export async function readLimited(
  body: Body,
  limits: {
    readonly maxBytes: number
    readonly timeoutMs: number
    readonly contentLength?: string | string[]
  },
): Promise<Buffer> {
  const announced = Number(
    Array.isArray(limits.contentLength) ? limits.contentLength[0] : limits.contentLength,
  )
  if (announced > limits.maxBytes) {
    body.destroy()
    throw new BodyLimitError('size', announced)
  }
  const chunks: Uint8Array[] = []
  let received = 0
  const timer = setTimeout(() => body.destroy(new BodyLimitError('time', received)), limits.timeoutMs)
  try {
    for await (const chunk of body) {
      received += chunk.byteLength
      if (received > limits.maxBytes) {
        body.destroy()
        throw new BodyLimitError('size', received)
      }
      chunks.push(chunk)
    }
  } finally {
    clearTimeout(timer)
  }
  return Buffer.concat(chunks)
}

/** A pass-through stream that fails with a `BodyLimitError` once more than `maxBytes` went through (counting `already`). */
export function byteLimit(maxBytes: number, already = 0): Transform {
  let seen = already
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      seen += chunk.byteLength
      callback(seen > maxBytes ? new BodyLimitError('size', seen) : null, chunk)
    },
  })
}

/** Bytes as MB (MiB) with one decimal, for messages. */
export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
