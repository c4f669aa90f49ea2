import type { Plan } from '@storyreel/core'
import type { RunState } from './run-state.ts'

export function initialRunState(plan: Plan, options: { readonly concurrency: number; readonly estimate: number; readonly now: number }): RunState {
  return {
    startedAt: options.now,
    concurrency: options.concurrency,
    spent: 0,
    estimate: options.estimate,
    shots: plan.shots.map((shot) => ({
      id: shot.id,
      index: shot.index,
      model: shot.model.id,
      duration: shot.params.duration,
      prompt: shot.params.prompt,
      estimate: shot.cost,
      dependsOn: shot.dependsOn,
      state: 'waiting',
      spent: 0,
      attempts: [],
    })),
  }
}
