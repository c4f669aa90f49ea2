import type { Plan } from '@storyreel/core'
import type { RunState } from './run-state.ts'

export function initialRunState(plan: Plan, options: { readonly concurrency: number; readonly estimate: number; readonly paid: boolean; readonly now: number }): RunState {
  return {
    startedAt: options.now,
    concurrency: options.concurrency,
    paid: options.paid,
    spent: 0,
    estimate: options.paid ? options.estimate : 0,
    shots: plan.shots.map((shot) => ({
      id: shot.id,
      index: shot.index,
      model: shot.model.id,
      duration: shot.params.duration,
      prompt: shot.params.prompt,
      estimate: options.paid ? shot.cost : 0,
      dependsOn: shot.dependsOn,
      state: 'waiting',
      spent: 0,
      attempts: [],
    })),
  }
}
