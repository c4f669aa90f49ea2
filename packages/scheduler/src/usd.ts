/** Sums dollar amounts in cents so 0.1 + 0.2 prints as 0.3. */
export function sumUsd(amounts: readonly number[]): number {
  return amounts.reduce((sum, a) => sum + Math.round(a * 100), 0) / 100
}
