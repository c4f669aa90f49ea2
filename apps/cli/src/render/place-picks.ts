import { access } from 'node:fs/promises'
import type { Plan } from '@storyreel/core'
import { linkOrCopy, type RunStore, type ShotJournalStatus } from '@storyreel/scheduler'

type StoredTake = ShotJournalStatus['takes'][number]

/** A shot whose storyboard pick is a rendered take other than the one in `shots/<id>.mp4`. */
export interface PickChange {
  readonly shot: string
  readonly take: StoredTake
  /** Shots that start (transitively) from its last frame: rendered from the old take. */
  readonly chained: readonly string[]
}

/**
 * The picks `assemble` has to place before stitching: `storyreel pick` only edits the storyboard, so
 * `shots/<id>.mp4` still holds the take the last render placed. A pick whose take was never rendered
 * is not listed: `assemble` refuses those first (see unrendered-picks.ts).
 */
export function changedPicks(
  plan: Plan,
  stored: ReadonlyMap<string, ShotJournalStatus>,
): readonly PickChange[] {
  const changes: PickChange[] = []
  for (const shot of plan.shots) {
    const status = stored.get(shot.id)
    const take = status?.takes.find((t) => t.take === shot.pick)
    if (!take || !status?.clip || take.sha256 === status.clip.sha256) continue
    changes.push({ shot: shot.id, take, chained: chainedAfter(plan, shot.id) })
  }
  return changes
}

/** Every shot whose start image is (through other shots) the last frame of `id`, in storyboard order. */
function chainedAfter(plan: Plan, id: string): string[] {
  const reached = new Set([id])
  for (const shot of plan.shots)
    if (shot.start.kind === 'last-frame' && reached.has(shot.start.shot)) reached.add(shot.id)
  reached.delete(id)
  return [...reached]
}

/**
 * Puts each picked take where the reel and chained shots read it (`shots/<id>.mp4`, `frames/<id>.*.png`)
 * and journals it, as a render would, so `status`, `render` and the next `assemble` agree with the reel.
 * The run is locked meanwhile: a render of the same directory is refused, not raced.
 */
export async function placePicks(store: RunStore, changes: readonly PickChange[]): Promise<void> {
  if (changes.length === 0) return
  const lock = await store.lock()
  try {
    const journal = await store.openJournal()
    try {
      for (const { shot, take } of changes) {
        const to = store.layout.shot(shot)
        await linkOrCopy(take.clip, to.clip)
        for (const frame of ['first', 'last'] as const)
          if (await exists(take[frame])) await linkOrCopy(take[frame], to[frame])
        await journal.append({ type: 'placed', at: Date.now(), shot, take: take.take, sha256: take.sha256 })
      }
    } finally {
      await journal.close()
    }
  } finally {
    await lock.release()
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}
