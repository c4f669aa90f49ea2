import { type PlannedShot, remainingPathSeconds } from '@storyreel/core'
import type { Redis } from 'ioredis'
import { localRunPlan } from './run-files.ts'
import { loadRun, type RunMeta } from './run-record.ts'
import type { Store } from './store.ts'

/** A run as a worker sees it: the plan, who depends on whom, and each shot's remaining path (the priority). */
export interface RunView {
  readonly meta: RunMeta
  readonly dependents: ReadonlyMap<string, readonly string[]>
  readonly remaining: ReadonlyMap<string, number>
  shot(id: string): PlannedShot
}

export function runView(meta: RunMeta): RunView {
  const dependents = new Map<string, string[]>(meta.plan.shots.map((s) => [s.id, []]))
  for (const s of meta.plan.shots) for (const dep of s.dependsOn) dependents.get(dep)?.push(s.id)
  const byId = new Map(meta.plan.shots.map((s) => [s.id, s]))
  return { meta, dependents, remaining: remainingPathSeconds(meta.plan), shot: (id) => byId.get(id)! }
}

/** Runs never change once enqueued, so each worker reads a run's plan once (its shared files put in the store then). */
export function runViews(redis: Redis, store: Store): (runId: string) => Promise<RunView> {
  const views = new Map<string, Promise<RunView>>()
  return (runId) => {
    let view = views.get(runId)
    if (!view) {
      view = loadRun(redis, runId).then(async ({ meta }) =>
        runView({ ...meta, plan: await localRunPlan(redis, store, meta.plan) }),
      )
      view.catch(() => views.delete(runId))
      views.set(runId, view)
    }
    return view
  }
}
