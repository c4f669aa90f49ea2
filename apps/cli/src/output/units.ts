// Apart from table.ts, so `validate` prints a price without loading the display-width tables.

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
