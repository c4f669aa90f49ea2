import type { PlannedShot } from '@storyreel/core'
import { completeTake } from './complete-take.ts'
import { renderRequestOf } from './decide-shot.ts'
import { decideTake } from './decide-take.ts'
import type { ReadyShot, Slot } from './dispatcher.ts'
import type { PipelineSetup } from './pipeline-setup.ts'
import { renderShot } from './render-shot.ts'

/** Each take's way through the run: decide, reuse or render in a slot, land the clip, place the picked one and the frames. */
export interface ShotPipeline {
  /** The shot's inputs are ready: for each take, reuse a finished clip, skip, refuse, or queue it for a slot. */
  decide(shot: PlannedShot): Promise<void>
  /** Renders a queued take in its slot; never rejects. */
  render(item: ReadyShot, slot: Slot): Promise<void>
}

export function createShotPipeline(setup: PipelineSetup): ShotPipeline {
  const { render: ctx } = setup
  return {
    async decide(shot) {
      setup.open(shot)
      // In take order, one after another: a clip a run made before takes (take 1, in shots/<id>.mp4) is
      // linked to its own place before another take can be placed over it.
      for (let take = 1; take <= shot.takes; take++) await decideTake(setup, { shot, take })
    },

    async render({ shot, take, decision }, slot) {
      const unit = { shot, take }
      const startedAt = ctx.now()
      // A picked take that other shots start from hands them its last frame before its full check.
      const deferCheck = take === shot.pick && setup.graph.dependents(shot.id).length > 0
      try {
        const request = renderRequestOf(shot, take, ctx.layout)
        const outcome = await renderShot(unit, decision, request, ctx, { deferCheck })
        // The prediction is finished, so the account's slot is free. Keep it for the picked take's chain
        // (until its next shot is decided) only when that shot would win it anyway; otherwise the slot
        // goes to a waiting take of higher priority while the frames are extracted outside it.
        if (outcome.status === 'rendered' && !(take === shot.pick && setup.chainOutranksWaiting(shot.id)))
          slot.release()
        await completeTake(setup, unit, decision.key, outcome, startedAt, () => slot.release())
      } catch (error) {
        setup.fail(unit, error)
      }
    },
  }
}
