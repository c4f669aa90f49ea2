import stringWidth from 'string-width'

/**
 * Column arithmetic by what a terminal shows, not by UTF-16 units: a CJK character takes two
 * columns, a combining mark or a colour code none. Tables, the live view and `status` align
 * with these, so shot names in any script line up.
 */
export function displayWidth(text: string): number {
  return stringWidth(text)
}

/** `text` padded with spaces to `width` columns (left-aligned), or `right`-aligned. */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const room = ' '.repeat(Math.max(0, width - displayWidth(text)))
  return align === 'left' ? text + room : room + text
}

/** `text` cut to at most `columns` columns, ending in `…` when cut. Plain text only (no colour codes). */
export function fit(text: string, columns: number): string {
  if (columns <= 0) return ''
  if (displayWidth(text) <= columns) return text
  let out = ''
  let used = 0
  for (const char of new Intl.Segmenter().segment(text)) {
    const w = displayWidth(char.segment)
    if (used + w > columns - 1) break
    out += char.segment
    used += w
  }
  return `${out}…`
}
