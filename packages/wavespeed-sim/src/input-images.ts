import { imageSize } from 'image-size'
import { sha256 } from './sha256.ts'
import type { SubmittedImage } from './types.ts'

export const MAX_IMAGE_BYTES = 10 * 1024 * 1024
const MIN_SIDE = 300
const MAX_ASPECT = 2.5
const FETCH_TIMEOUT_MS = 15_000
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]'])

export const DOWNLOAD_FAILED = 'Failed to download image from the provided URL.'

export interface CheckedImage {
  readonly ok: true
  readonly bytes: Buffer
  readonly sha256: string
  readonly width: number
  readonly height: number
  readonly type: 'jpg' | 'png'
}

export interface RejectedImage {
  readonly ok: false
  /** 1402 when the image could not be fetched, 1401 when it is not acceptable. */
  readonly code: 1401 | 1402
  readonly error: string
  readonly sha256?: string
}

export type ImageCheck = CheckedImage | RejectedImage

function decodeInline(ref: string): Buffer | undefined {
  const match = /^data:image\/[a-z+.-]+;base64,(.*)$/is.exec(ref)
  const payload = match ? match[1]! : ref
  if (!/^[A-Za-z0-9+/=\s]+$/.test(payload) || payload.length < 64) return undefined
  return Buffer.from(payload, 'base64')
}

async function fetchBytes(ref: string, acceptBase64: boolean): Promise<Buffer | undefined> {
  let url: URL
  try {
    url = new URL(ref)
  } catch {
    return acceptBase64 ? decodeInline(ref) : undefined
  }
  if (url.protocol === 'data:') return acceptBase64 ? decodeInline(ref) : undefined
  // The simulator has no network: only loopback URLs (its own uploads, test servers) can be fetched.
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !LOOPBACK_HOSTS.has(url.hostname))
    return undefined
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
    if (!response.ok) return undefined
    return Buffer.from(await response.arrayBuffer())
  } catch {
    return undefined
  }
}

/**
 * Fetches an input image and applies Kling's documented limits: JPEG or PNG,
 * at most 10 MB, at least 300x300, aspect between 1:2.5 and 2.5:1.
 */
export async function checkInputImage(ref: string, options: { acceptBase64: boolean }): Promise<ImageCheck> {
  const bytes = await fetchBytes(ref, options.acceptBase64)
  if (!bytes) return { ok: false, code: 1402, error: DOWNLOAD_FAILED }
  const hash = sha256(bytes)
  const reject = (reason: string): RejectedImage => ({
    ok: false,
    code: 1401,
    error: `Invalid image: ${reason}`,
    sha256: hash,
  })
  if (bytes.length > MAX_IMAGE_BYTES) return reject(`the file is ${bytes.length} bytes; the limit is 10 MB.`)
  let size: { width?: number; height?: number; type?: string }
  try {
    size = imageSize(bytes)
  } catch {
    return reject('the file is not a readable image; use JPEG or PNG.')
  }
  const { width = 0, height = 0, type } = size
  if (type !== 'jpg' && type !== 'png')
    return reject(`the format is ${type ?? 'unknown'}; only JPEG and PNG are accepted.`)
  if (width < MIN_SIDE || height < MIN_SIDE)
    return reject(`the image is ${width}x${height}; both sides must be at least ${MIN_SIDE} px.`)
  const aspect = width / height
  if (aspect > MAX_ASPECT || aspect < 1 / MAX_ASPECT) {
    return reject(
      `the aspect ratio is ${aspect.toFixed(2)}:1 (${width}x${height}); it must be between 1:2.5 and 2.5:1.`,
    )
  }
  return { ok: true, bytes, sha256: hash, width, height, type }
}

/**
 * Checks a prediction's image fields in order, stopping at the first refusal,
 * and records each one in `into` as it goes (the submission record shows them).
 */
export async function fetchInputImages(
  fields: readonly (readonly [string, unknown])[],
  acceptBase64: boolean,
  into: SubmittedImage[],
): Promise<ImageCheck[]> {
  const checks: ImageCheck[] = []
  for (const [field, ref] of fields) {
    if (typeof ref !== 'string') continue
    const check = await checkInputImage(ref, { acceptBase64 })
    into.push({
      field,
      ref: ref.length > 200 ? `${ref.slice(0, 64)}...(${ref.length} chars)` : ref,
      ...(check.sha256 !== undefined ? { sha256: check.sha256 } : {}),
      ...(check.ok ? {} : { code: check.code }),
    })
    checks.push(check)
    if (!check.ok) break
  }
  return checks
}
