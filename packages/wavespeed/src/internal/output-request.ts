import type { Dispatcher } from 'undici'
import { request } from 'undici'
import { WaveSpeedError } from '../errors.ts'
import type { ClientContext } from './context.ts'
import { NO_REDIRECTS } from './transport.ts'

const MAX_REDIRECTS = 5
const REDIRECTS = new Set([301, 302, 303, 307, 308])

/** URLs the API hands out (outputs, upload targets) are public hosts: https only, or http when the API itself is plain http (the simulator). */
export function assertFetchable(url: string | URL, apiBase: URL, redirectedFrom?: URL): URL {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new WaveSpeedError(
      'WS_UNSAFE_URL',
      `WaveSpeed handed out "${String(url).slice(0, 120)}", which is not a URL.`,
    )
  }
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && apiBase.protocol === 'http:'))
    return parsed
  const via = redirectedFrom ? `, where ${redirectedFrom.host}${redirectedFrom.pathname} redirected,` : ''
  throw new WaveSpeedError(
    'WS_UNSAFE_URL',
    `Refusing to fetch ${parsed.protocol}//${parsed.host}${parsed.pathname}${via}: storyreel fetches only https URLs from WaveSpeed (http only when WAVESPEED_BASE_URL is http).`,
  )
}

/**
 * GETs an output URL without the API key, following up to 5 redirects by hand so that every hop is
 * held to `assertFetchable` (undici's request() follows none by itself).
 */
export async function requestOutput(
  ctx: ClientContext,
  url: URL,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<Dispatcher.ResponseData> {
  let target = url
  for (let hop = 0; ; hop++) {
    const res = await request(target, {
      method: 'GET',
      headers,
      signal,
      headersTimeout: ctx.requestTimeoutMs,
      bodyTimeout: ctx.requestTimeoutMs,
      ...NO_REDIRECTS,
      ...(ctx.transport.dispatcher ? { dispatcher: ctx.transport.dispatcher } : {}),
    })
    const location = res.headers.location
    if (!REDIRECTS.has(res.statusCode) || location === undefined) return res
    await res.body.dump().catch(() => undefined)
    if (hop >= MAX_REDIRECTS)
      throw new WaveSpeedError(
        'WS_DOWNLOAD',
        `Downloading ${url.host}${url.pathname} was redirected more than ${MAX_REDIRECTS} times; check the output URL on wavespeed.ai.`,
      )
    const next = Array.isArray(location) ? location[0]! : location
    target = assertFetchable(
      URL.canParse(next, target.href) ? new URL(next, target) : next,
      ctx.transport.baseUrl,
      target,
    )
  }
}
