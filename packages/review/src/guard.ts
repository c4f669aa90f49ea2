import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** The header a state-changing request carries the page's token in (a custom header also forces a CORS preflight, which this server never grants). */
export const TOKEN_HEADER = 'x-storyreel-token'

export interface Guard {
  readonly token: string
  /** Why the request is refused (403), or undefined when it may proceed. */
  refusal(req: IncomingMessage): string | undefined
}

const digest = (text: string) => createHash('sha256').update(text).digest()

/**
 * The checks every request passes: its Host must be exactly the address the server bound (a DNS
 * rebinding page reaches 127.0.0.1 under its own name, so it fails here), and anything but GET/HEAD
 * needs the per-server token embedded in the page and, when the browser names an Origin, this origin.
 */
export function createGuard(authority: string): Guard {
  const token = randomBytes(32).toString('base64url')
  const expected = digest(token)
  const origin = `http://${authority}`
  return {
    token,
    refusal(req) {
      if (req.headers.host !== authority) return `this server answers only to ${authority}`
      if (req.method === 'GET' || req.method === 'HEAD') return undefined
      if (req.headers.origin !== undefined && req.headers.origin !== origin)
        return 'requests from other origins are refused'
      const given = req.headers[TOKEN_HEADER]
      // Hashing first gives equal lengths, so the comparison takes the same time whatever was sent.
      if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected))
        return 'missing or wrong token: reload the page'
      return undefined
    },
  }
}
