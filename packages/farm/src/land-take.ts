import { linkOrCopy, sha256File, type TakeUnit } from '@storyreel/scheduler'
import { keys } from './keys.ts'
import type { TakeJob } from './take-job.ts'

/**
 * The take's clip is at its own place; the picked one also goes to `shots/<id>.mp4` (journaled).
 * Its last frame is extracted now when another shot starts from it (its sha256 kept for the
 * manifest); the other frames go to the worker's background pool, outside the key's slot, as the
 * local scheduler does. Frames a dead worker never wrote are made at assembly.
 */
export async function land(
  unit: TakeUnit,
  own: string,
  sha256: string,
  job: TakeJob,
): Promise<{ clip: string; frames: { first: string; last: string } }> {
  const { shot, take } = unit
  const { layout, setup, run } = job
  const picked = take === shot.pick
  const ownFrames = layout.take(shot.id, take)
  const shown = picked ? layout.shot(shot.id) : ownFrames
  let clip = own
  if (picked) {
    clip = shown.clip
    await linkOrCopy(own, clip)
    const placed = job.histories.get(shot.id)?.placed
    if (placed?.take !== take || placed.sha256 !== sha256)
      await job.journal.append({ type: 'placed', at: Date.now(), shot: shot.id, take, sha256 })
  }
  const show = async (frame: 'first' | 'last') => {
    if (picked) await linkOrCopy(ownFrames[frame], shown[frame])
  }
  const waitedFor = picked && (run.dependents.get(shot.id) ?? []).length > 0
  const call = { signal: setup.signal }
  if (waitedFor) {
    await setup.hooks.extractFrames(own, { last: ownFrames.last }, call)
    await show('last')
    await setup.farm.redis.hset(
      keys.images(run.meta.id),
      setup.farm.store!.nameOf(shown.last)!,
      await sha256File(shown.last),
    )
  }
  setup.background(async () => {
    await setup.hooks.extractFrames(
      own,
      { first: ownFrames.first, ...(waitedFor ? {} : { last: ownFrames.last }) },
      call,
    )
    await show('first')
    if (!waitedFor) await show('last')
  })
  return { clip, frames: { first: shown.first, last: shown.last } }
}
