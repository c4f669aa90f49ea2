import { createWriteStream } from 'node:fs'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { writeAtomically } from '@storyreel/assembler'
import { type Dispatcher, request } from 'undici'
import { AnimaticError } from './errors.ts'

/** The API's own limit for an input image, so nothing bigger is worth fetching. */
export const IMAGE_LIMIT_BYTES = 10 * 1024 * 1024
const DEFAULT_TIMEOUT_MS = 60_000
const MAX_REDIRECTS = 3
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

export interface FetchImageOptions {
  readonly signal?: AbortSignal | undefined
  /** For the whole fetch, redirects included; default 60 s. */
  readonly timeoutMs?: number | undefined
  /** Largest body accepted; default `IMAGE_LIMIT_BYTES` (10 MB). */
  readonly maxBytes?: number | undefined
  /** The undici dispatcher to connect with; default undici's global one. */
  readonly dispatcher?: Dispatcher | undefined
}

/**
 * Fetches an `image:` URL into `dest` (atomically) by the storyboard's rule, that
 * an image URL is https, and keeps it true after redirects: a redirect is followed
 * only to https on the same host, at most three times, and checked before any
 * connection is made. The body is streamed to disk and cut off past `maxBytes`;
 * the whole fetch has a deadline.
 *
 * @throws AnimaticError `ANIMATIC_URL_REFUSED` (not retryable) or `ANIMATIC_FETCH`.
 */
export async function fetchImage(url: string, dest: string, options: FetchImageOptions = {}): Promise<void> {
  const { timeoutMs = DEFAULT_TIMEOUT_MS, maxBytes = IMAGE_LIMIT_BYTES, dispatcher } = options
  const timeout = AbortSignal.timeout(timeoutMs)
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout
  let target = httpsUrl(url)
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await request(target, {
        method: 'GET',
        signal,
        headers: { accept: 'image/*' },
        ...(dispatcher && { dispatcher }),
      })
      const { statusCode: status, headers, body } = response
      if (REDIRECT_STATUSES.has(status)) {
        discard(body)
        if (redirects === MAX_REDIRECTS) throw refused(url, `it redirects more than ${MAX_REDIRECTS} times`)
        target = redirectTarget(url, target, headers.location)
        continue
      }
      if (status !== 200) {
        discard(body)
        throw new AnimaticError(
          'ANIMATIC_FETCH',
          `Fetching ${target.href} for the animatic answered HTTP ${status}; check the URL, or download the image and use the file.`,
          {
            url,
            httpStatus: status,
            retryable: status >= 500 || status === 429,
          },
        )
      }
      if (Number(headers['content-length']) > maxBytes) {
        discard(body)
        throw tooLarge(url, maxBytes)
      }
      await writeAtomically(dest, (temp) =>
        pipeline(body, cappedAt(maxBytes, url), createWriteStream(temp), { signal }),
      )
      return
    }
  } catch (error) {
    if (error instanceof AnimaticError) throw error
    if (options.signal?.aborted) throw options.signal.reason
    if (timeout.aborted)
      throw new AnimaticError(
        'ANIMATIC_FETCH',
        `Fetching ${target.href} for the animatic took longer than ${timeoutMs / 1000} s; try again, or download the image and use the file.`,
        {
          url,
          retryable: true,
          cause: error,
        },
      )
    const reason = error instanceof Error ? error.message : String(error)
    throw new AnimaticError(
      'ANIMATIC_FETCH',
      `Could not fetch ${target.href} for the animatic (${reason}); check the network, or download the image and use the file.`,
      {
        url,
        retryable: true,
        cause: error,
      },
    )
  }
}

function httpsUrl(url: string): URL {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw refused(url, 'it is not a URL')
  }
  if (parsed.protocol !== 'https:')
    throw refused(url, `it is ${parsed.protocol.replace(/:$/, '')}, and image URLs must be https`)
  return parsed
}

/** Where a redirect leads, if it keeps to https on the same host; refused otherwise, before anything connects there. */
function redirectTarget(url: string, from: URL, location: string | string[] | undefined): URL {
  const value = Array.isArray(location) ? location[0] : location
  if (!value) throw refused(url, 'it redirects without saying where')
  let next: URL
  try {
    next = new URL(value, from)
  } catch {
    throw refused(url, 'it redirects to something that is not a URL')
  }
  if (next.protocol !== 'https:' || next.host !== from.host)
    throw refused(
      url,
      `it redirects to ${next.href}, and redirects are followed only to https on the same host (${from.host})`,
    )
  return next
}

function refused(url: string, why: string): AnimaticError {
  return new AnimaticError(
    'ANIMATIC_URL_REFUSED',
    `The animatic will not fetch the image ${show(url)}: ${why}. Use the final https URL, or download the image and use the file.`,
    {
      url,
      retryable: false,
    },
  )
}

function tooLarge(url: string, limit: number): AnimaticError {
  return new AnimaticError(
    'ANIMATIC_URL_REFUSED',
    `The image ${show(url)} is larger than ${limit / (1024 * 1024)} MB, the most a start or end image may be; use a smaller image.`,
    {
      url,
      retryable: false,
      limitBytes: limit,
    },
  )
}

/** Closes a body that will not be read; destroying it unread emits an abort error nobody needs to hear. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined).destroy()
}

/** Passes bytes through until more than `limit` have gone by, then fails the stream. */
function cappedAt(limit: number, url: string): Transform {
  let seen = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length
      if (seen > limit) done(tooLarge(url, limit))
      else done(null, chunk)
    },
  })
}

/** A URL as it may appear in a message: parsed (so control characters are escaped) and not absurdly long. */
function show(url: string): string {
  const text = URL.canParse(url) ? new URL(url).href : JSON.stringify(url).slice(1, -1)
  return text.length > 200 ? `${text.slice(0, 199)}…` : text
}
