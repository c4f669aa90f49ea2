import type { ShotDecision } from './decide-shot.ts'
import { landClip } from './land-clip.ts'
import { linkOrCopy } from './link-or-copy.ts'
import type { PipelineSetup } from './pipeline-setup.ts'
import { aboutTake, type TakeUnit } from './render-context.ts'

/** A take whose clip already exists (cache or run directory): linked to its place, journaled, landed, settled as `cached`. */
export async function reuseClip(
  setup: PipelineSetup,
  unit: TakeUnit,
  decision: Extract<ShotDecision, { action: 'reuse' }>,
): Promise<void> {
  const { render: ctx } = setup
  const { shot, take } = unit
  const own = ctx.layout.take(shot.id, take).clip
  // From the cache, or from where a run made before takes kept it (shots/<id>.mp4, which a pick may replace).
  if (decision.file !== own) {
    await linkOrCopy(decision.file, own)
    await ctx.journal.append({
      type: 'cached',
      at: ctx.now(),
      shot: shot.id,
      take,
      key: decision.key,
      file: ctx.layout.relative(own),
      sha256: decision.sha256,
    })
  }
  const finished = await landClip(setup, unit, {
    shot: shot.id,
    sha256: decision.sha256,
    key: decision.key,
    source: decision.source,
  })
  ctx.emit({
    type: 'cached',
    ...aboutTake(unit),
    clip: finished.clip,
    sha256: decision.sha256,
    key: decision.key,
    source: decision.source,
  })
  setup.settle(unit, {
    shot: shot.id,
    status: 'cached',
    source: decision.source,
    ...finished,
    ...(decision.predictionId ? { predictionId: decision.predictionId } : {}),
  })
}
