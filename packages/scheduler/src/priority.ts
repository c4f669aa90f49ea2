import type { LatencyEstimate, Plan, PlannedShot } from '@storyreel/core'
import { schedulerError } from './errors.ts'

/**
 * Shots that need each shot's clip. Checks what the priority computation (core's
 * `remainingPathSeconds`, one backwards pass) relies on: every dependency names a
 * shot that comes earlier in the plan, which also rules out cycles.
 */
export function dependentsOf(plan: Plan): Map<string, string[]> {
  const dependents = new Map<string, string[]>()
  for (const shot of plan.shots) {
    for (const dep of shot.dependsOn) {
      const list = dependents.get(dep)
      if (!list) {
        const known = plan.shots.some((s) => s.id === dep)
        throw schedulerError(
          'SCHED_INVALID_PLAN',
          known
            ? `Shot "${shot.id}" depends on "${dep}", which comes later in the plan (or on itself); a shot can only continue from an earlier one.`
            : `Shot "${shot.id}" depends on "${dep}", which is not in the plan.`,
          { shot: shot.id, dependsOn: dep },
        )
      }
      list.push(shot.id)
    }
    if (dependents.has(shot.id))
      throw schedulerError(
        'SCHED_INVALID_PLAN',
        `Two shots are called "${shot.id}"; shot ids must be unique.`,
        { shot: shot.id },
      )
    dependents.set(shot.id, [])
  }
  return dependents
}

/**
 * A take's priority in seconds of work left: a shot's picked take carries its remaining path (core's
 * `remainingPathSeconds`, the chain that waits for it); its other takes have nothing waiting for them,
 * so only their own latency. Ready takes go highest first, then in storyboard order, then take order.
 */
export function takeRank(
  remaining: ReadonlyMap<string, number>,
  latency: LatencyEstimate,
): (shot: PlannedShot, take: number) => number {
  return (shot, take) => (take === shot.pick ? (remaining.get(shot.id) ?? 0) : latency(shot))
}
