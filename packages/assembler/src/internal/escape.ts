/**
 * Escaping for values placed inside an ffmpeg filtergraph string, and for paths
 * in a concat-demuxer list. Every piece of user text (prompts, shot ids, font
 * paths) that reaches a filter goes through `filterValue`.
 *
 * A filtergraph is unescaped twice: once when the graph is split into filters
 * (special: \ ' [ ] , ;) and once when a filter's arguments are split into
 * options (special: \ ' :). So the value is quoted for the second level, then
 * the result is backslash-escaped for the first.
 */

/** Quotes a value for one filter option: inside '…' everything is literal but the quote itself. */
function quoteOptionValue(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}

/** Escapes the characters the filtergraph parser splits or unquotes on. */
function escapeGraphLevel(text: string): string {
  return text.replace(/[\\'[\],;]/g, (c) => `\\${c}`)
}

/** Makes `value` safe as an option value inside a filtergraph, e.g. `drawtext=text=${filterValue(t)}`. */
export function filterValue(value: string): string {
  return escapeGraphLevel(quoteOptionValue(value))
}

/** A `file '…'` line of a concat-demuxer list; the demuxer reads single-quoted strings like a shell. */
export function concatListLine(path: string): string {
  return `file ${quoteOptionValue(path)}`
}
