import type { RunLayout, ShotOutcome, TakeOutcome } from '@storyreel/scheduler'
import type { Redis } from 'ioredis'
import { keys } from './keys.ts'

function mapPaths<O extends ShotOutcome>(outcome: O, to: (path: string) => string): O {
  if (outcome.status !== 'done' && outcome.status !== 'cached') return outcome
  return {
    ...outcome,
    clip: to(outcome.clip),
    frames: { first: to(outcome.frames.first), last: to(outcome.frames.last) },
  }
}

/** Records a shot's final outcome (paths relative to the run directory); the first word counts. */
export async function recordOutcome(
  redis: Redis,
  runId: string,
  layout: RunLayout,
  outcome: ShotOutcome,
): Promise<void> {
  await redis.hsetnx(
    keys.outcomes(runId),
    outcome.shot,
    JSON.stringify(mapPaths(outcome, (p) => layout.relative(p))),
  )
}

/** Every recorded outcome, with paths on this machine. */
export async function loadOutcomes(
  redis: Redis,
  runId: string,
  layout: RunLayout,
): Promise<Map<string, ShotOutcome>> {
  const raw = await redis.hgetall(keys.outcomes(runId))
  return new Map(
    Object.entries(raw).map(([shot, json]) => [
      shot,
      mapPaths(JSON.parse(json) as ShotOutcome, (p) => layout.resolve(p)),
    ]),
  )
}

export const hasClip = (
  o: ShotOutcome | undefined,
): o is Extract<ShotOutcome, { status: 'done' | 'cached' }> => o?.status === 'done' || o?.status === 'cached'

/** Records one take's outcome (every take, picked or not, for the manifest and the review). */
export async function recordTake(
  redis: Redis,
  runId: string,
  layout: RunLayout,
  outcome: TakeOutcome,
): Promise<void> {
  await redis.hset(
    keys.takes(runId),
    `${outcome.shot}\u0000${outcome.take}`,
    JSON.stringify(mapPaths(outcome, (p) => layout.relative(p))),
  )
}

/** Every take's outcome, in storyboard then take order, with paths on this machine. */
export async function loadTakes(
  redis: Redis,
  runId: string,
  layout: RunLayout,
  order: readonly string[],
): Promise<TakeOutcome[]> {
  const raw = Object.values(await redis.hgetall(keys.takes(runId))).map((json) =>
    mapPaths(JSON.parse(json) as TakeOutcome, (p) => layout.resolve(p)),
  )
  return raw.sort((a, b) => order.indexOf(a.shot) - order.indexOf(b.shot) || a.take - b.take)
}
