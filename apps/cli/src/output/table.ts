import { displayWidth, pad } from './width.ts'

/**
 * Lays rows out in aligned columns separated by two spaces, by display width (colour codes
 * take none, CJK characters two). Columns listed in
 * `alignRight` (by index) are right-aligned, for numbers and prices.
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  alignRight: readonly number[] = [],
): string {
  const all = [header, ...rows]
  const widths = header.map((_, column) => Math.max(...all.map((row) => displayWidth(row[column] ?? ''))))
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => pad(cell, widths[column]!, alignRight.includes(column) ? 'right' : 'left'))
      .join('  ')
      .trimEnd()
  return all.map(line).join('\n') + '\n'
}
