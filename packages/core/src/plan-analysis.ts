import TinyQueue from 'tinyqueue'
import type { ModelSpec } from './catalog.ts'
import type { Plan, PlannedShot } from './plan-types.ts'

/** Seconds a shot is expected to take to render, from submission to finished clip. */
export type LatencyEstimate = (shot: PlannedShot) => number

/**
 * A rough model of Kling render time on WaveSpeed: a fixed 60 s of queueing and
 * set-up, plus compute per second of video that grows with the tier (standard
 * and turbo ~12 s, pro ~18 s, master ~30 s per second of video). Only ratios
 * matter for ordering work; the absolute figures are for the plan's wall-clock hint.
 */
export function estimateRenderSeconds(model: ModelSpec, duration: number): number {
  const perSecond = model.id.includes('master') ? 30 : model.id.includes('-pro') ? 18 : 12
  return 60 + perSecond * duration
}

const defaultLatency: LatencyEstimate = (shot) => estimateRenderSeconds(shot.model, shot.params.duration)

const NONE: readonly PlannedShot[] = []

/** Shots that wait for each shot, in plan order; shots nothing waits for are left out. */
function dependentsOf(plan: Plan): Map<string, PlannedShot[]> {
  const dependents = new Map<string, PlannedShot[]>()
  for (const shot of plan.shots) {
    for (const id of shot.dependsOn) {
      const list = dependents.get(id)
      if (list) list.push(shot)
      else dependents.set(id, [shot])
    }
  }
  return dependents
}

/**
 * Groups of shots connected by "waits for" edges, each in plan order, ordered by
 * their first shot. Different chains can render at the same time.
 */
export function planChains(plan: Plan): string[][] {
  // Union-find over shot positions, with path compression.
  const indexOf = new Map(plan.shots.map((shot, index) => [shot.id, index]))
  const parent = Int32Array.from(plan.shots, (_, index) => index)
  const root = (index: number): number => {
    let top = index
    while (parent[top] !== top) top = parent[top]!
    for (let current = index; current !== top;) {
      const next = parent[current]!
      parent[current] = top
      current = next
    }
    return top
  }
  plan.shots.forEach((shot, index) => {
    for (const id of shot.dependsOn) {
      const other = indexOf.get(id)
      if (other !== undefined) parent[root(index)] = root(other)
    }
  })
  const groups = new Map<number, string[]>()
  plan.shots.forEach((shot, index) => {
    const key = root(index)
    const group = groups.get(key)
    if (group) group.push(shot.id)
    else groups.set(key, [shot.id])
  })
  return [...groups.values()]
}

/**
 * Each shot's longest remaining path: its own latency plus the longest path
 * through the shots that wait for it. The scheduler starts the largest first.
 * This is the priority of the shot's picked take, the one chained shots wait
 * for; its other takes have nothing waiting for them, so their priority is
 * their own latency.
 */
export function remainingPathSeconds(
  plan: Plan,
  latency: LatencyEstimate = defaultLatency,
): Map<string, number> {
  const dependents = dependentsOf(plan)
  const result = new Map<string, number>()
  // Dependents always come later in the file, so one backwards pass suffices.
  for (let index = plan.shots.length - 1; index >= 0; index--) {
    const shot = plan.shots[index]!
    let longestAfter = 0
    for (const next of dependents.get(shot.id) ?? NONE)
      longestAfter = Math.max(longestAfter, result.get(next.id) ?? 0)
    result.set(shot.id, latency(shot) + longestAfter)
  }
  return result
}

/**
 * The longest chain of work that must happen one after the other: no concurrency
 * makes a render faster than this. Takes do not lengthen it: they render side by side.
 */
export function criticalPath(
  plan: Plan,
  latency: LatencyEstimate = defaultLatency,
): { shots: string[]; seconds: number } {
  const remaining = remainingPathSeconds(plan, latency)
  const dependents = dependentsOf(plan)
  const longest = (candidates: readonly PlannedShot[]) =>
    candidates.reduce<PlannedShot | undefined>(
      (best, shot) => (best && remaining.get(best.id)! >= remaining.get(shot.id)! ? best : shot),
      undefined,
    )
  const shots: string[] = []
  let current = longest(plan.shots.filter((shot) => shot.dependsOn.length === 0))
  const seconds = current ? remaining.get(current.id)! : 0
  while (current) {
    shots.push(current.id)
    current = longest(dependents.get(current.id) ?? NONE)
  }
  return { shots, seconds }
}

/** One prediction to simulate: a take of a shot. */
interface Job {
  readonly shot: PlannedShot
  readonly take: number
  readonly seconds: number
  readonly priority: number
}

/**
 * Wall-clock seconds to render the plan with at most `concurrency` predictions
 * in flight, simulating list scheduling: whenever a slot is free, the ready take
 * with the longest remaining path starts. Every take is a prediction of its own;
 * the takes of a shot are ready together, and the shots chained after it wait
 * for its picked take only. Pure; the scheduler uses the same priority. Two
 * heaps (ready by priority, running by finish time) keep it O(n log n).
 */
export function estimateWallClockSeconds(
  plan: Plan,
  concurrency: number,
  latency: LatencyEstimate = defaultLatency,
): number {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new TypeError(`\`concurrency\` must be a positive integer, got ${concurrency}`)
  for (const shot of plan.shots) {
    if (!(shot.pick >= 1 && shot.pick <= shot.takes))
      throw new TypeError(`shot "${shot.id}" picks take ${shot.pick} of ${shot.takes}`)
  }
  const remaining = remainingPathSeconds(plan, latency)
  const dependents = dependentsOf(plan)
  const waitingOn = new Map<string, number>()
  for (const shot of plan.shots) if (shot.dependsOn.length > 0) waitingOn.set(shot.id, shot.dependsOn.length)
  const ready = new TinyQueue<Job>(
    [],
    (a, b) => b.priority - a.priority || a.shot.index - b.shot.index || a.take - b.take,
  )
  const release = (shot: PlannedShot) => {
    const seconds = latency(shot)
    for (let take = 1; take <= shot.takes; take++)
      ready.push({ shot, take, seconds, priority: take === shot.pick ? remaining.get(shot.id)! : seconds })
  }
  for (const shot of plan.shots) if (shot.dependsOn.length === 0) release(shot)
  const running = new TinyQueue<{ job: Job; endsAt: number }>(
    [],
    (a, b) => a.endsAt - b.endsAt || a.job.shot.index - b.job.shot.index || a.job.take - b.job.take,
  )
  let now = 0
  while (ready.length > 0 || running.length > 0) {
    while (running.length < concurrency && ready.length > 0) {
      const job = ready.pop()!
      running.push({ job, endsAt: now + job.seconds })
    }
    const { job, endsAt } = running.pop()!
    now = endsAt
    if (job.take !== job.shot.pick) continue
    for (const next of dependents.get(job.shot.id) ?? NONE) {
      const left = waitingOn.get(next.id)! - 1
      waitingOn.set(next.id, left)
      if (left === 0) release(next)
    }
  }
  return now
}
