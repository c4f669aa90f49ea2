const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c)
}

/** A run-dir-relative path as an URL: each segment percent-encoded, so `#`, `?` or spaces in an id do not break the link. */
export function relativeUrl(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/')
}
