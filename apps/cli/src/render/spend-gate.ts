import { formatUsd } from '../output/units.ts'
import { CliFailure } from './failure.ts'

/** Above this many dollars a paid run asks before submitting (on a terminal) or needs `--yes`. */
export const CONFIRM_ABOVE_USD = 5

export interface SpendDecision {
  readonly cost: number
  readonly submissions: number
  readonly reused: number
  readonly paid: boolean
  readonly yes: boolean
  readonly interactive: boolean
  readonly threshold: number
}

/** The line shown before anything is submitted: what will be spent, cached shots excluded. */
export function estimateLine(d: Pick<SpendDecision, 'cost' | 'submissions' | 'reused' | 'paid'>): string {
  const reused =
    d.reused > 0 ? `; ${d.reused} shot${d.reused === 1 ? '' : 's'} already rendered, not paid again` : ''
  if (!d.paid)
    return `Rendering ${d.submissions} shot${d.submissions === 1 ? '' : 's'} locally (no cost)${reused}.`
  return `Will submit ${d.submissions} prediction${d.submissions === 1 ? '' : 's'}, estimated ${formatUsd(d.cost)} (retries of failed predictions come on top)${reused}.`
}

/**
 * `ask` when the user must confirm, `go` when nothing stands in the way; throws
 * when a non-interactive run would spend above the threshold without `--yes`.
 */
export function spendGate(d: SpendDecision): 'go' | 'ask' {
  if (!d.paid || d.yes || d.cost <= d.threshold) return 'go'
  if (d.interactive) return 'ask'
  throw new CliFailure(
    `This run would spend about ${formatUsd(d.cost)}, above the ${formatUsd(d.threshold)} that needs confirmation, and there is no terminal to ask on. ` +
      'Pass --yes to go ahead (and --max-cost USD to cap it), or render fewer shots with --only ID,...',
  )
}
