import type { RunEstimate, SchedulerErrorOf } from '@storyreel/scheduler'
import { formatUsd } from '../output/units.ts'
import { confirm } from './confirm.ts'
import { CliFailure } from './failure.ts'
import { CONFIRM_ABOVE_USD, estimateLine, spendGate } from './spend-gate.ts'
import type { Terminal } from './terminal.ts'

export interface SpendApproval {
  /** The provider's `paid`: a free run is shown its estimate and never stopped. */
  readonly paid: boolean
  /** The account's balance, when the provider has one. */
  readonly balance?: number
  readonly yes: boolean
  readonly terminal: Terminal
  readonly say: (text: string) => void
  /** Asks somewhere other than the terminal (the review page); then there is always someone to ask. */
  readonly ask?: (question: string, cost: number) => Promise<boolean>
}

function estimateLineOf(estimate: RunEstimate, paid: boolean): string {
  const reused = estimate.shots.filter((s) => s.action === 'reuse').length
  return estimateLine({ cost: estimate.cost, submissions: estimate.submissions, reused, paid })
}

/**
 * The scheduler's `approve` hook: shows the estimate (after its `--max-cost` check), then stops
 * a paid run the balance cannot cover, or one above $5 that is not confirmed (false).
 */
export function approveSpend(approval: SpendApproval): (estimate: RunEstimate) => Promise<boolean> {
  return async (estimate) => {
    approval.say(estimateLineOf(estimate, approval.paid))
    if (!approval.paid) return true
    if (approval.balance !== undefined && estimate.cost > approval.balance) {
      throw new CliFailure(
        `Your WaveSpeed balance is ${formatUsd(approval.balance)}, less than the ${formatUsd(estimate.cost)} this run needs: nothing was submitted. Top up at https://wavespeed.ai, or render fewer shots with --only ID,...`,
      )
    }
    const reused = estimate.shots.filter((s) => s.action === 'reuse').length
    const interactive = approval.ask !== undefined || approval.terminal.interactive
    const gate = spendGate({
      ...estimate,
      reused,
      paid: true,
      yes: approval.yes,
      interactive,
      threshold: CONFIRM_ABOVE_USD,
    })
    const question = `Spend about ${formatUsd(estimate.cost)} on WaveSpeed?`
    if (
      gate === 'ask' &&
      !(await (approval.ask
        ? approval.ask(question, estimate.cost)
        : confirm(question, approval.terminal.stdin, process.stderr)))
    ) {
      approval.say('Nothing was submitted.')
      return false
    }
    return true
  }
}

/** `--max-cost` refused the estimate (the scheduler's one budget check): show the estimate, then what to do. */
export function overBudgetFailure(
  error: SchedulerErrorOf<'SCHED_OVER_BUDGET'>,
  say: (text: string) => void,
): CliFailure {
  say(estimateLineOf(error.estimate, true))
  return new CliFailure(
    `The estimate ${formatUsd(error.estimate.cost)} is over --max-cost ${formatUsd(error.maxCost)}: nothing was submitted. Raise --max-cost, or render fewer shots with --only ID,...`,
  )
}
