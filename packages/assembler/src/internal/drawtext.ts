import { filterValue } from './escape.ts'

export interface TextStyle {
  readonly size: number
  /** drawtext position expressions, e.g. `(w-text_w)/2`. */
  readonly x: string
  readonly y: string
  readonly color?: string
  /** A translucent box behind the text, for legibility over any picture. */
  readonly box?: boolean
}

/**
 * A drawtext filter drawing `text` literally: escaped for the filtergraph and with
 * `%{…}` expansion off, so prompts with quotes, colons, commas or percent signs
 * render as written.
 */
export function drawtext(text: string, font: string, style: TextStyle): string {
  const options = [
    `fontfile=${filterValue(font)}`,
    `text=${filterValue(text.replace(/\r\n?/g, '\n'))}`,
    'expansion=none',
    `fontsize=${Math.round(style.size)}`,
    `fontcolor=${style.color ?? 'white'}`,
    `x=${filterValue(style.x)}`,
    `y=${filterValue(style.y)}`,
  ]
  if (style.box)
    options.push('box=1', 'boxcolor=black@0.55', `boxborderw=${Math.max(2, Math.round(style.size / 4))}`)
  return `drawtext=${options.join(':')}`
}

/** Breaks `text` into lines of at most `width` characters at spaces, keeping at most `maxLines` (the last one ends in …). */
export function wrapText(text: string, width: number, maxLines: number): string {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word
    if (next.length <= width) line = next
    else {
      if (line) lines.push(line)
      line = word.length > width ? `${word.slice(0, width - 1)}…` : word
    }
  }
  if (line) lines.push(line)
  if (lines.length <= maxLines) return lines.join('\n')
  const kept = lines.slice(0, maxLines)
  kept[maxLines - 1] = `${kept[maxLines - 1]!.slice(0, width - 1)}…`
  return kept.join('\n')
}
