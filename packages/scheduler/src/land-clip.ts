import { linkOrCopy } from './link-or-copy.ts'
import type { PipelineSetup } from './pipeline-setup.ts'
import type { TakeUnit } from './render-context.ts'
import type { FinishedClip, LandedClip } from './run-types.ts'

/**
 * The take's clip is at its own place: the picked one also goes to `shots/<id>.mp4` (journaled when that
 * changes what is there) and to the caller; then the frames (the last one first when a shot waits for it).
 */
export async function landClip(
  setup: PipelineSetup,
  unit: TakeUnit,
  landed: Omit<LandedClip, 'clip'>,
): Promise<FinishedClip> {
  const { render: ctx, graph } = setup
  const { shot, take } = unit
  const own = ctx.layout.take(shot.id, take).clip
  let clip = own
  if (take === shot.pick) {
    clip = ctx.layout.shot(shot.id).clip
    await linkOrCopy(own, clip)
    const placed = setup.decide.histories.get(shot.id)?.placed
    if (placed?.take !== take || placed.sha256 !== landed.sha256)
      await ctx.journal.append({
        type: 'placed',
        at: ctx.now(),
        shot: shot.id,
        take,
        sha256: landed.sha256,
      })
    try {
      setup.onClip?.({ ...landed, clip })
    } catch {
      // The caller's hook must not stop a run that is spending money.
    }
  }
  const frames = await setup.frames.place(unit, own, graph.dependents(shot.id).length > 0)
  return { clip, sha256: landed.sha256, key: landed.key, frames }
}
