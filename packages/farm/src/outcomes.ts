import type { RunLayout, ShotOutcome } from '@storyreel/scheduler'
import type { Redis } from 'ioredis'
import { keys } from './keys.ts'

function mapPaths(outcome: ShotOutcome, to: (path: string) => string): ShotOutcome {
  if (outcome.status !== 'done' && outcome.status !== 'cached') return outcome
  return { ...outcome, clip: to(outcome.clip), frames: { first: to(outcome.frames.first), last: to(outcome.frames.last) } }
}

/** Records a shot's final outcome (paths relative to the run directory); the first word counts. */
export async function recordOutcome(redis: Redis, runId: string, layout: RunLayout, outcome: ShotOutcome): Promise<void> {
  await redis.hsetnx(keys.outcomes(runId), outcome.shot, JSON.stringify(mapPaths(outcome, (p) => layout.relative(p))))
}

/** Every recorded outcome, with paths on this machine. */
export async function loadOutcomes(redis: Redis, runId: string, layout: RunLayout): Promise<Map<string, ShotOutcome>> {
  const raw = await redis.hgetall(keys.outcomes(runId))
  return new Map(Object.entries(raw).map(([shot, json]) => [shot, mapPaths(JSON.parse(json) as ShotOutcome, (p) => layout.resolve(p))]))
}

export const hasClip = (o: ShotOutcome | undefined): o is Extract<ShotOutcome, { status: 'done' | 'cached' }> => o?.status === 'done' || o?.status === 'cached'
