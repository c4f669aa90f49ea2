/** Replaces every occurrence of each secret (4 characters or more), as is or URL-encoded, with `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) {
    if (secret.length < 4) continue
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('[redacted]')
  }
  return out
}
