const MINUTE_MS = 60_000

/** The key's money and creation rate: what the API charges, refunds and limits. */
export class Account {
  readonly #created: Record<string, number> = {}
  readonly #recentCreations: number[] = []
  readonly #ratePerMinute: number | undefined
  #balanceCents: number
  #chargedCents = 0
  #refundedCents = 0

  constructor(balanceUsd: number, ratePerMinute: number | undefined) {
    this.#balanceCents = Math.round(balanceUsd * 100)
    this.#ratePerMinute = ratePerMinute
  }

  get balance(): number {
    return this.#balanceCents / 100
  }

  /** Seconds until the per-minute creation limit allows another prediction, or undefined when it does now. */
  retryAfterSeconds(): number | undefined {
    const limit = this.#ratePerMinute
    if (limit === undefined) return undefined
    const now = Date.now()
    while (this.#recentCreations.length > 0 && this.#recentCreations[0]! <= now - MINUTE_MS)
      this.#recentCreations.shift()
    if (this.#recentCreations.length < limit) return undefined
    return Math.max(1, Math.ceil((this.#recentCreations[0]! + MINUTE_MS - now) / 1000))
  }

  /** Why a prediction costing `costCents` cannot be paid, or undefined when it can. */
  shortfall(costCents: number): string | undefined {
    if (costCents <= this.#balanceCents) return undefined
    return `Insufficient balance: this prediction costs $${(costCents / 100).toFixed(2)} and the balance is $${this.balance.toFixed(2)}. Top up your account.`
  }

  /** Pays for a prediction of `modelId` being created now. */
  charge(modelId: string, costCents: number): void {
    this.#balanceCents -= costCents
    this.#chargedCents += costCents
    this.#created[modelId] = (this.#created[modelId] ?? 0) + 1
    this.#recentCreations.push(Date.now())
  }

  refund(costCents: number): void {
    this.#balanceCents += costCents
    this.#refundedCents += costCents
  }

  totals(): {
    created: Record<string, number>
    createdTotal: number
    charged: number
    refunded: number
    balance: number
  } {
    return {
      created: { ...this.#created },
      createdTotal: Object.values(this.#created).reduce((a, b) => a + b, 0),
      charged: this.#chargedCents / 100,
      refunded: this.#refundedCents / 100,
      balance: this.balance,
    }
  }
}
