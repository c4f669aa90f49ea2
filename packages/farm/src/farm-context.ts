import type { Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import type { KeyLimit } from './key-limit.ts'
import type { RunMeta } from './run-record.ts'
import type { Store } from './store.ts'

/** What the farm's parts share on one machine: the Redis connection, the queues, the store. */
export interface FarmContext {
  readonly redis: Redis
  readonly shots: Queue<ShotJobData>
  readonly assembly: Queue<AssemblyJobData>
  readonly keyLimit: KeyLimit
  /** Undefined for a `render` that cannot see the store. */
  readonly store?: Store
  /** Strings (this machine's API key) never written to Redis or the store. */
  readonly secrets: readonly string[]
}

/** A shot job's data: names only, so no job ever carries a secret. */
export interface ShotJobData {
  readonly runId: string
  readonly shot: string
}

export interface AssemblyJobData {
  readonly runId: string
}

/** BullMQ job ids: one per shot of a run, so enqueuing the same shot twice adds one job. */
export const shotJobId = (runId: string, shot: string) => `${runId}.${shot}`
export const assemblyJobId = (runId: string) => `${runId}.assemble`

/** BullMQ's priority: lower runs first. The longest remaining chain goes first, across runs too. */
export function shotPriority(remainingSeconds: number): number {
  return Math.max(1, 2_000_000 - Math.round(remainingSeconds))
}

export async function enqueueShot(
  farm: FarmContext,
  meta: RunMeta,
  shot: string,
  remaining: ReadonlyMap<string, number>,
): Promise<void> {
  await farm.shots.add(
    'shot',
    { runId: meta.id, shot },
    {
      jobId: shotJobId(meta.id, shot),
      priority: shotPriority(remaining.get(shot) ?? 0),
      removeOnComplete: { age: 86_400 },
      removeOnFail: { age: 7 * 86_400 },
    },
  )
}

export async function enqueueAssembly(farm: FarmContext, runId: string): Promise<void> {
  await farm.assembly.add(
    'assemble',
    { runId },
    { jobId: assemblyJobId(runId), removeOnComplete: { age: 86_400 }, removeOnFail: { age: 7 * 86_400 } },
  )
}
