/** Replaces every occurrence of `secret` (raw or URL-encoded) in text. */
export type Redactor = (text: string) => string

const MASK = '[redacted]'

export function createRedactor(secret: string): Redactor {
  const forms = [...new Set([secret, encodeURIComponent(secret)])].filter((form) => form.length > 0)
  return (text) => {
    let out = text
    for (const form of forms) out = out.split(form).join(MASK)
    return out
  }
}

/**
 * Returns `cause` unchanged when it does not mention the secret, or a copy with
 * message, stack and nested causes redacted. Errors are kept as errors so their
 * `code` (e.g. ECONNRESET) still tells what happened.
 */
export function redactCause(cause: unknown, redact: Redactor, depth = 0): unknown {
  if (!(cause instanceof Error) || depth > 5) return typeof cause === 'string' ? redact(cause) : cause
  const inner = redactCause(cause.cause, redact, depth + 1)
  const leaks = redact(cause.message) !== cause.message || redact(cause.stack ?? '') !== (cause.stack ?? '')
  if (!leaks && inner === cause.cause) return cause
  const copy = new Error(redact(cause.message), inner === undefined ? undefined : { cause: inner })
  copy.name = cause.name
  copy.stack = redact(cause.stack ?? '')
  const code = (cause as { code?: unknown }).code
  if (typeof code === 'string') Object.assign(copy, { code })
  return copy
}
