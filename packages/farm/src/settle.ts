import type { ShotOutcome } from '@storyreel/scheduler'
import { enqueueAssembly, enqueueShot, type FarmContext } from './farm-context.ts'
import { keys } from './keys.ts'
import { hasClip, loadOutcomes, recordOutcome } from './outcomes.ts'
import { publish } from './run-events.ts'
import type { RunView } from './run-view.ts'

/**
 * A shot has its final outcome: record it, then move the graph on. Shots whose every upstream
 * now has a clip are enqueued; shots it blocks are skipped; once every shot has an outcome the
 * assembly job is enqueued. Every step is idempotent, so a job re-run after its worker died
 * settles again without doing anything twice.
 */
export async function settleShot(farm: FarmContext, run: RunView, outcome: ShotOutcome): Promise<void> {
  const { meta } = run
  const layout = farm.store!.runLayout(meta.id)
  await recordOutcome(farm.redis, meta.id, layout, outcome)
  const takes = run.shot(outcome.shot).takes
  await farm.redis.hdel(
    keys.budget(meta.id),
    ...Array.from({ length: takes }, (_, i) => `reserved:${outcome.shot}:${i + 1}`),
  )
  const outcomes = await loadOutcomes(farm.redis, meta.id, layout)
  const settled = outcomes.get(outcome.shot)!
  for (const next of run.dependents.get(outcome.shot) ?? []) {
    if (outcomes.has(next)) continue
    if (hasClip(settled)) {
      if (run.shot(next).dependsOn.every((dep) => hasClip(outcomes.get(dep))))
        await enqueueShot(farm, meta, next, run.remaining)
    } else if (settled.status === 'aborted') {
      await settleShot(farm, run, { shot: next, status: 'aborted' })
    } else {
      const reason = `needs "${outcome.shot}", which ${settled.status === 'failed' ? 'failed' : 'was skipped'}`
      const at = Date.now()
      await farm.redis.rpush(
        keys.journal(meta.id),
        JSON.stringify({ type: 'skipped', at, shot: next, reason }),
      )
      await publish(farm.redis, meta.id, {
        kind: 'shot',
        event: { type: 'skipped', shot: next, reason, at, spent: 0 },
      })
      await settleShot(farm, run, { shot: next, status: 'skipped', reason })
    }
  }
  if ((await farm.redis.hlen(keys.outcomes(meta.id))) === meta.plan.shots.length)
    await enqueueAssembly(farm, meta.id)
}
