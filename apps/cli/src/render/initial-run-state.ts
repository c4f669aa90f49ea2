import type { Plan } from '@storyreel/core'
import type { RunState } from './run-state.ts'

/** Every shot waiting, nothing spent; `estimate` is the scheduler's (0 for a free provider). */
export function initialRunState(
  plan: Plan,
  options: {
    readonly concurrency: number
    readonly estimate: number
    readonly paid: boolean
    readonly now: number
  },
): RunState {
  return {
    startedAt: options.now,
    concurrency: options.concurrency,
    paid: options.paid,
    spent: 0,
    estimate: options.estimate,
    shots: plan.shots.map((shot) => ({
      id: shot.id,
      index: shot.index,
      model: shot.model.id,
      duration: shot.params.duration,
      prompt: shot.params.prompt,
      dependsOn: shot.dependsOn,
      takeCount: shot.takes,
      pick: shot.pick,
      state: 'waiting',
      spent: 0,
      attempts: [],
    })),
  }
}
