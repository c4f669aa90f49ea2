import { randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { extname } from 'node:path'
import { HttpProblem, readBody } from './http-io.ts'
import { sha256 } from './sha256.ts'

type MediaType = 'image' | 'video' | 'audio'

const LIMITS: Readonly<Record<MediaType, number>> = {
  image: 20 * 1024 * 1024,
  video: 100 * 1024 * 1024,
  audio: 50 * 1024 * 1024,
}
/** The largest upload any media type allows; request bodies beyond it get 413. */
export const MAX_UPLOAD_BYTES = LIMITS.video

const TYPES_BY_EXTENSION: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.bmp': 'image/bmp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/x-wav',
  '.m4a': 'audio/mp4',
}

export interface UploadTicket {
  readonly type: MediaType
  readonly download_url: string
  readonly filename: string
  readonly size: number
  readonly upload: {
    readonly method: 'PUT'
    readonly url: string
    readonly headers: Readonly<Record<string, string>>
  }
}

interface StoredFile {
  readonly filename: string
  readonly contentType: string
  readonly size: number
  readonly createdAt: number
  bytes: Buffer | undefined
  sha256: string | undefined
}

function contentTypeOf(filename: string, declared: unknown): string {
  if (typeof declared === 'string' && declared) return declared
  return TYPES_BY_EXTENSION[extname(filename).toLowerCase()] ?? 'application/octet-stream'
}

function mediaTypeOf(contentType: string): MediaType {
  const family = contentType.split('/')[0]
  if (family === 'video' || family === 'audio') return family
  if (family === 'image') return 'image'
  throw new HttpProblem(
    400,
    `Unsupported file type ${contentType}: upload an image, a video or an audio file.`,
  )
}

function checkSize(type: MediaType, size: number): void {
  if (size > LIMITS[type])
    throw new HttpProblem(
      413,
      `The ${type} is ${size} bytes; ${type} uploads are limited to ${LIMITS[type] / 1024 / 1024} MB.`,
    )
}

/** Uploaded media: the ticket flow (ticket, then PUT without auth) and the one-shot multipart flow. */
export class UploadStore {
  readonly #files = new Map<string, StoredFile>()
  readonly #ttlMs: number

  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs
  }

  createTicket(body: Readonly<Record<string, unknown>>, baseUrl: string): UploadTicket {
    const { filename, size } = body
    if (typeof filename !== 'string' || !filename)
      throw new HttpProblem(400, 'Missing `filename`: send {filename, size, content_type?}.')
    if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0)
      throw new HttpProblem(400, '`size` must be the file size in bytes (a positive integer).')
    const contentType = contentTypeOf(filename, body.content_type)
    const type = mediaTypeOf(contentType)
    checkSize(type, size)
    const token = randomBytes(16).toString('hex')
    this.#files.set(token, {
      filename,
      contentType,
      size,
      createdAt: Date.now(),
      bytes: undefined,
      sha256: undefined,
    })
    return {
      type,
      download_url: `${baseUrl}/media/${token}/${encodeURIComponent(filename)}`,
      filename,
      size,
      upload: { method: 'PUT', url: `${baseUrl}/upload/${token}`, headers: { 'Content-Type': contentType } },
    }
  }

  /**
   * Accepts the PUT of a ticket. Like a presigned storage URL, it refuses an
   * Authorization header (a second auth mechanism), a different Content-Type
   * than the ticket said, and a body of another size than announced.
   */
  put(token: string, headers: Readonly<Record<string, string | string[] | undefined>>, bytes: Buffer): void {
    const file = this.#live(token)
    if (!file)
      throw new HttpProblem(
        404,
        'Unknown or expired upload URL: request a new ticket from POST /api/v3/media/uploads.',
      )
    if (headers.authorization !== undefined) {
      throw new HttpProblem(
        400,
        'Only one auth mechanism allowed: the upload URL is already signed, do not send an Authorization header.',
      )
    }
    if (headers['content-type'] !== file.contentType) {
      throw new HttpProblem(
        403,
        `Signature does not match: the ticket requires Content-Type ${file.contentType}, got ${String(headers['content-type'] ?? 'none')}. Send exactly upload.headers.`,
      )
    }
    if (bytes.length !== file.size)
      throw new HttpProblem(400, `The body is ${bytes.length} bytes but the ticket announced ${file.size}.`)
    file.bytes = bytes
    file.sha256 = sha256(bytes)
  }

  /** The one-request multipart flow: returns the same fields as a ticket, minus `upload`. */
  storeBinary(
    filename: string,
    declaredType: string,
    bytes: Buffer,
    baseUrl: string,
  ): Omit<UploadTicket, 'upload'> {
    const contentType = contentTypeOf(
      filename,
      declaredType === 'application/octet-stream' ? '' : declaredType,
    )
    const type = mediaTypeOf(contentType)
    checkSize(type, bytes.length)
    const token = randomBytes(16).toString('hex')
    this.#files.set(token, {
      filename,
      contentType,
      size: bytes.length,
      createdAt: Date.now(),
      bytes,
      sha256: sha256(bytes),
    })
    return {
      type,
      download_url: `${baseUrl}/media/${token}/${encodeURIComponent(filename)}`,
      filename,
      size: bytes.length,
    }
  }

  /** The bytes behind a download URL, once uploaded and until expiry. */
  get(token: string): { bytes: Buffer; contentType: string } | undefined {
    const file = this.#live(token)
    return file?.bytes ? { bytes: file.bytes, contentType: file.contentType } : undefined
  }

  /** The sha256 of an uploaded file's bytes, once they are in. */
  contentHash(token: string): string | undefined {
    return this.#live(token)?.sha256
  }

  #live(token: string): StoredFile | undefined {
    const file = this.#files.get(token)
    if (file && Date.now() - file.createdAt >= this.#ttlMs) {
      this.#files.delete(token)
      return undefined
    }
    return file
  }
}

/** The field `file` of a multipart/form-data upload (`POST /api/v3/media/upload/binary`). */
export async function readMultipartFile(
  req: IncomingMessage,
): Promise<{ name: string; type: string; bytes: Buffer }> {
  const contentType = req.headers['content-type'] ?? ''
  if (!contentType.startsWith('multipart/form-data'))
    throw new HttpProblem(400, 'Send multipart/form-data with the file in the field `file`.')
  const raw = await readBody(req, MAX_UPLOAD_BYTES + 64 * 1024)
  let form: FormData
  try {
    // The runtime's fetch Request already implements multipart parsing.
    form = await new Request('http://127.0.0.1/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: raw,
    }).formData()
  } catch {
    throw new HttpProblem(400, 'The multipart body could not be parsed.')
  }
  const file = form.get('file')
  if (!file || typeof file === 'string')
    throw new HttpProblem(400, 'Missing the field `file` in the multipart body.')
  return { name: file.name || 'upload', type: file.type, bytes: Buffer.from(await file.arrayBuffer()) }
}
