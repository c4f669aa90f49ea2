import type { PlannedShot } from '@storyreel/core'
import type { FrameWork } from './clip-frames.ts'
import { decideShot, renderRequestOf, type DecideContext, type ShotDecision } from './decide-shot.ts'
import type { ReadyShot, Slot } from './dispatcher.ts'
import type { ShotTimings } from './events.ts'
import { linkOrCopy } from './link-or-copy.ts'
import type { RenderContext } from './render-context.ts'
import { renderShot, type RenderOutcome } from './render-shot.ts'
import type { ShotGraph } from './shot-graph.ts'
import type { ClipHooks, LandedClip, ShotOutcome } from './run-types.ts'

export interface PipelineSetup {
  readonly graph: ShotGraph
  readonly decide: DecideContext
  readonly render: RenderContext
  readonly frames: FrameWork
  readonly onClip?: ClipHooks['onClip']
  /** When each shot was accepted by the run. */
  readonly queuedAt: ReadonlyMap<string, number>
  /** Hands a shot that must render to the dispatcher. */
  enqueue(item: ReadyShot): void
  /** True when a shot chained after `shot` would win a slot over every shot waiting now. */
  chainOutranksWaiting(shot: string): boolean
  settle(outcome: ShotOutcome): void
  skip(shot: string, reason: string): void
  /** Something went wrong outside the provider's answers (disk, journal): the shot fails with it, or aborts. */
  fail(shot: string, error: unknown): void
}

/** One shot's way through the run: decide, reuse or render in a slot, land the clip, place its frames. */
export interface ShotPipeline {
  /** The shot's inputs are ready: reuse a finished clip, skip, refuse, or queue it for a slot. */
  decide(shot: PlannedShot): Promise<void>
  /** Renders a queued shot in its slot; never rejects. */
  render(item: ReadyShot, slot: Slot): Promise<void>
}

export function createShotPipeline(setup: PipelineSetup): ShotPipeline {
  const { graph, render: ctx } = setup

  /** The clip is in place: tell the caller, then get its frames (the last one first when a shot waits for it). */
  const land = async (shot: PlannedShot, landed: LandedClip) => {
    try {
      setup.onClip?.(landed)
    } catch {
      // The caller's hook must not stop a run that is spending money.
    }
    const frames = await setup.frames.place(shot.id, landed.clip, graph.dependents(shot.id).length > 0)
    return { clip: landed.clip, sha256: landed.sha256, key: landed.key, frames }
  }

  const reuse = async (shot: PlannedShot, decision: Extract<ShotDecision, { action: 'reuse' }>) => {
    const clip = ctx.layout.shot(shot.id).clip
    if (decision.source === 'cache') {
      await linkOrCopy(decision.file, clip)
      await ctx.journal.append({ type: 'cached', at: ctx.now(), shot: shot.id, key: decision.key, file: ctx.layout.relative(clip), sha256: decision.sha256 })
    }
    const finished = await land(shot, { shot: shot.id, clip, sha256: decision.sha256, key: decision.key, source: decision.source })
    ctx.emit({ type: 'cached', shot: shot.id, clip, sha256: decision.sha256, key: decision.key, source: decision.source })
    setup.settle({ shot: shot.id, status: 'cached', source: decision.source, ...finished, ...(decision.predictionId ? { predictionId: decision.predictionId } : {}) })
  }

  const complete = async (shot: PlannedShot, key: string, outcome: RenderOutcome, startedAt: number) => {
    const predictionId = outcome.predictionId ? { predictionId: outcome.predictionId } : {}
    if (outcome.status === 'aborted') return setup.settle({ shot: shot.id, status: 'aborted', ...predictionId })
    if (outcome.status === 'failed') {
      const { message, attempts } = outcome
      return setup.settle({ shot: shot.id, status: 'failed', message, ...(outcome.code ? { code: outcome.code } : {}), ...predictionId, attempts, cost: ctx.budget.spentOn(shot.id) })
    }
    try {
      const finished = await land(shot, { shot: shot.id, clip: outcome.clip, sha256: outcome.sha256, key, source: 'provider' })
      const timings: ShotTimings = {
        queuedAt: setup.queuedAt.get(shot.id)!,
        startedAt,
        ...(outcome.submittedAt === undefined ? {} : { submittedAt: outcome.submittedAt }),
        finishedAt: ctx.now(),
        ...(outcome.inferenceMs === undefined ? {} : { inferenceMs: outcome.inferenceMs }),
      }
      ctx.emit({ type: 'done', shot: shot.id, attempt: outcome.attempt, predictionId: outcome.predictionId, clip: outcome.clip, sha256: outcome.sha256, key, timings })
      setup.settle({ shot: shot.id, status: 'done', predictionId: outcome.predictionId, attempts: outcome.attempts, cost: ctx.budget.spentOn(shot.id), timings, ...finished })
    } catch (error) {
      if (ctx.signal?.aborted) setup.settle({ shot: shot.id, status: 'aborted', predictionId: outcome.predictionId })
      else setup.fail(shot.id, error)
    }
  }

  return {
    async decide(shot) {
      try {
        if (ctx.signal?.aborted) return setup.settle({ shot: shot.id, status: 'aborted' })
        const decision = await decideShot(shot, graph.clipSha, setup.decide)
        switch (decision.action) {
          case 'skip':
            return setup.skip(shot.id, decision.reason)
          case 'refuse': {
            const a = decision.attempt
            const message = `${a.failure?.message ?? 'failed'} (prediction ${a.id ?? 'unknown'}, in an earlier run with the same inputs; change the shot, or force it to try again)`
            const predictionId = a.id ? { predictionId: a.id } : {}
            ctx.emit({ type: 'failed', shot: shot.id, attempt: a.attempt, ...predictionId, message, willRetry: false })
            return setup.settle({ shot: shot.id, status: 'failed', message, ...(a.failure?.code ? { code: a.failure.code } : {}), ...predictionId, attempts: 0, cost: 0 })
          }
          case 'reuse':
            return await reuse(shot, decision)
          default:
            // Decided only once every upstream clip exists, so the key is known.
            if (decision.key === undefined) throw new Error(`Shot "${shot.id}" was decided before its upstream clips existed.`)
            setup.enqueue({ shot, decision: { ...decision, key: decision.key } })
        }
      } catch (error) {
        setup.fail(shot.id, error)
      }
    },

    async render({ shot, decision }, slot) {
      const startedAt = ctx.now()
      try {
        const outcome = await renderShot(shot, decision, renderRequestOf(shot, ctx.layout), ctx)
        // The prediction is finished, so the account's slot is free. Keep it for this shot's chain
        // (until its next shot is decided) only when that shot would win it anyway; otherwise the
        // slot goes to a waiting shot of higher priority while the frames are extracted outside it.
        if (outcome.status === 'rendered' && !setup.chainOutranksWaiting(shot.id)) slot.release()
        await complete(shot, decision.key, outcome, startedAt)
      } catch (error) {
        setup.fail(shot.id, error)
      }
    },
  }
}
