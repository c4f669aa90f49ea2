import type { Plan, PlannedShot } from '@storyreel/core'
import { SchedulerError } from './errors.ts'

/**
 * A rough render time for one shot, used only to rank shots against each other:
 * longer clips and 1080p models take longer. Absolute values do not matter.
 */
export function estimateLatencyMs(shot: PlannedShot): number {
  return 60_000 * (shot.params.duration / 5) * (shot.model.outputHeight === 1080 ? 1.5 : 1)
}

/** Shots that need each shot's clip, checking that every dependency names a shot of the plan. */
export function dependentsOf(plan: Plan): Map<string, string[]> {
  const dependents = new Map<string, string[]>(plan.shots.map((s) => [s.id, []]))
  for (const shot of plan.shots) {
    for (const dep of shot.dependsOn) {
      const list = dependents.get(dep)
      if (!list) throw new SchedulerError('SCHED_INVALID_PLAN', `Shot "${shot.id}" depends on "${dep}", which is not in the plan.`, { data: { shot: shot.id, dependsOn: dep } })
      list.push(shot.id)
    }
  }
  return dependents
}

/**
 * For each shot, the estimated time from its submission to the end of the longest
 * chain of shots waiting on it (its own latency included): the critical path. Shots
 * with the longest remaining path go first, so the run ends as early as it can.
 */
export function remainingPathMs(plan: Plan, latencyOf: (shot: PlannedShot) => number = estimateLatencyMs): Map<string, number> {
  const dependents = dependentsOf(plan)
  const byId = new Map(plan.shots.map((s) => [s.id, s]))
  const memo = new Map<string, number>()
  const visiting = new Set<string>()
  const visit = (id: string): number => {
    const known = memo.get(id)
    if (known !== undefined) return known
    if (visiting.has(id)) throw new SchedulerError('SCHED_INVALID_PLAN', `Shot "${id}" depends on itself through a chain of shots; break the cycle.`, { data: { shot: id } })
    visiting.add(id)
    const tail = Math.max(0, ...(dependents.get(id) ?? []).map(visit))
    visiting.delete(id)
    const total = latencyOf(byId.get(id)!) + tail
    memo.set(id, total)
    return total
  }
  for (const shot of plan.shots) visit(shot.id)
  return memo
}

/** Orders ready shots: longest remaining path first, then storyboard order. */
export function byPriority(remaining: ReadonlyMap<string, number>, indexOf: (id: string) => number): (a: string, b: string) => number {
  return (a, b) => (remaining.get(b) ?? 0) - (remaining.get(a) ?? 0) || indexOf(a) - indexOf(b)
}
