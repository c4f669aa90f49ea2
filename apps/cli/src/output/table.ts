import { displayWidth, pad } from './width.ts'

/**
 * Lays rows out in aligned columns separated by two spaces, by display width (colour codes
 * take none, CJK characters two). Columns listed in
 * `alignRight` (by index) are right-aligned, for numbers and prices.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], alignRight: readonly number[] = []): string {
  const all = [header, ...rows]
  const widths = header.map((_, column) => Math.max(...all.map((row) => displayWidth(row[column] ?? ''))))
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => pad(cell, widths[column]!, alignRight.includes(column) ? 'right' : 'left'))
      .join('  ')
      .trimEnd()
  return all.map(line).join('\n') + '\n'
}

/** "$1.30". */
export function formatUsd(amount: number): string {
  return `$${amount.toFixed(2)}`
}

/** "45 s", "3 min 20 s", "1 h 05 min". */
export function formatDuration(seconds: number): string {
  const rounded = Math.round(seconds)
  if (rounded < 60) return `${rounded} s`
  const minutes = Math.floor(rounded / 60)
  if (minutes < 60) return rounded % 60 === 0 ? `${minutes} min` : `${minutes} min ${rounded % 60} s`
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`
}
