import { basename, extname } from 'node:path'
import { FormData, request } from 'undici'
import { isWaveSpeedError, WaveSpeedError } from './errors.ts'
import type { ClientContext } from './internal/context.ts'
import { assertFetchable } from './internal/output-request.ts'
import { readLimited } from './internal/read-body.ts'
import { checkUploadSize, readUploadFile } from './internal/read-upload.ts'
import { redactCause } from './internal/redact.ts'
import { withRetry } from './internal/retry.ts'
import { callApi, NO_REDIRECTS } from './internal/transport.ts'
import type { UploadResult } from './types.ts'

/** A file on disk, or bytes with the name to give them. */
export type UploadSource =
  string | { readonly data: Uint8Array; readonly filename: string; readonly contentType?: string }

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
}

interface Ticket {
  readonly download_url?: string
  readonly type?: string
  readonly size?: number
  readonly upload?: {
    readonly method?: string
    readonly url?: string
    readonly headers?: Record<string, string>
  }
}

/** The bytes, name and type of an upload, refused past `maxBytes` (a file before it is read). */
export async function readUploadSource(
  source: UploadSource,
  maxBytes: number,
): Promise<{ data: Uint8Array; filename: string; contentType?: string }> {
  if (typeof source !== 'string') {
    checkUploadSize(source.filename, source.data.byteLength, maxBytes)
    return {
      ...source,
      contentType: source.contentType ?? CONTENT_TYPES[extname(source.filename).toLowerCase()],
    }
  }
  return {
    data: await readUploadFile(source, maxBytes),
    filename: basename(source),
    contentType: CONTENT_TYPES[extname(source).toLowerCase()],
  }
}

/**
 * Uploads media and returns its `download_url` (kept 7 days by WaveSpeed).
 * Uses the ticket flow (`POST /api/v3/media/uploads`, then a PUT with exactly the
 * ticket's headers and no Authorization); falls back to the multipart
 * `POST /api/v3/media/upload/binary` when the ticket endpoint answers 404 or 405.
 */
export async function uploadMedia(
  ctx: ClientContext,
  source: UploadSource,
  signal?: AbortSignal,
): Promise<UploadResult> {
  const file = await readUploadSource(source, ctx.limits.maxUploadBytes)
  const ticketBody: Record<string, unknown> = { filename: file.filename, size: file.data.byteLength }
  if (file.contentType) ticketBody.content_type = file.contentType
  let ticket: Ticket
  try {
    ticket = await withRetry(
      () =>
        callApi<Ticket>(ctx.transport, {
          method: 'POST',
          path: '/api/v3/media/uploads',
          body: ticketBody,
          signal,
          timeoutMs: ctx.requestTimeoutMs,
        }),
      ctx.retry,
      { signal },
    )
  } catch (error) {
    if (isWaveSpeedError(error) && (error.httpStatus === 404 || error.httpStatus === 405))
      return uploadMultipart(ctx, file, signal)
    throw error
  }
  const put = ticket.upload
  if (
    typeof ticket.download_url !== 'string' ||
    put?.url === undefined ||
    (put.method ?? 'PUT').toUpperCase() !== 'PUT'
  )
    throw new WaveSpeedError(
      'WS_UPLOAD',
      `WaveSpeed's upload ticket for ${file.filename} lacks a download_url or a PUT instruction; retry later.`,
      { retryable: true },
    )
  // The PUT carries the image (not the key): https only, like every other fetch of a URL the API handed out.
  const target = assertFetchable(put.url, ctx.transport.baseUrl).href
  await withRetry(() => putBytes(ctx, target, put.headers ?? {}, file, signal), ctx.retry, { signal })
  return { downloadUrl: ticket.download_url, type: ticket.type, size: file.data.byteLength }
}

async function putBytes(
  ctx: ClientContext,
  url: string,
  headers: Record<string, string>,
  file: { data: Uint8Array; filename: string },
  signal?: AbortSignal,
): Promise<void> {
  const failed = (detail: string, retryable: boolean, extra: { httpStatus?: number; cause?: unknown } = {}) =>
    new WaveSpeedError(
      'WS_UPLOAD',
      ctx.transport.redact(`Uploading ${file.filename} (PUT to ${new URL(url).host}) failed: ${detail}.`),
      {
        retryable,
        httpStatus: extra.httpStatus,
        cause: redactCause(extra.cause, ctx.transport.redact),
      },
    )
  let status: number
  let text: string
  try {
    const res = await request(url, {
      method: 'PUT',
      headers,
      body: file.data,
      signal,
      headersTimeout: ctx.requestTimeoutMs,
      bodyTimeout: ctx.requestTimeoutMs,
      ...NO_REDIRECTS,
      ...(ctx.transport.dispatcher ? { dispatcher: ctx.transport.dispatcher } : {}),
    })
    status = res.statusCode
    text = (
      await readLimited(res.body, { maxBytes: ctx.limits.maxResponseBytes, timeoutMs: ctx.requestTimeoutMs })
    ).toString('utf8')
  } catch (error) {
    if (signal?.aborted) throw signal.reason
    throw failed(error instanceof Error ? error.message : String(error), true, { cause: error })
  }
  if (status < 200 || status >= 300)
    throw failed(`HTTP ${status} ${text.slice(0, 160)}`, status === 429 || status >= 500, {
      httpStatus: status,
    })
}

async function uploadMultipart(
  ctx: ClientContext,
  file: { data: Uint8Array; filename: string; contentType?: string },
  signal?: AbortSignal,
): Promise<UploadResult> {
  const data = await withRetry(
    () => {
      const form = new FormData()
      form.append(
        'file',
        new Blob([file.data], file.contentType ? { type: file.contentType } : {}),
        file.filename,
      )
      return callApi<Ticket>(ctx.transport, {
        method: 'POST',
        path: '/api/v3/media/upload/binary',
        form,
        signal,
        timeoutMs: ctx.requestTimeoutMs,
      })
    },
    ctx.retry,
    { signal },
  )
  if (typeof data.download_url !== 'string')
    throw new WaveSpeedError(
      'WS_UPLOAD',
      `WaveSpeed's binary upload of ${file.filename} returned no download_url; retry later.`,
      { retryable: true },
    )
  return { downloadUrl: data.download_url, type: data.type, size: file.data.byteLength }
}
