import type { PlannedShot } from '@storyreel/core'
import type { FrameWork } from './clip-frames.ts'
import { type DecideContext, decideShot, renderRequestOf, type ShotDecision } from './decide-shot.ts'
import type { ReadyShot, Slot } from './dispatcher.ts'
import type { ShotTimings } from './events.ts'
import { linkOrCopy } from './link-or-copy.ts'
import { aboutTake, type RenderContext, type TakeUnit } from './render-context.ts'
import { type RenderOutcome, renderShot } from './render-shot.ts'
import type { ClipHooks, LandedClip, ShotOutcome } from './run-types.ts'
import type { ShotGraph } from './shot-graph.ts'

export interface PipelineSetup {
  readonly graph: ShotGraph
  readonly decide: DecideContext
  readonly render: RenderContext
  readonly frames: FrameWork
  readonly onClip?: ClipHooks['onClip']
  /** When each shot was accepted by the run. */
  readonly queuedAt: ReadonlyMap<string, number>
  /** The shot's takes are about to be decided: the run does not end before each has an outcome. */
  open(shot: PlannedShot): void
  /** Hands a take that must render to the dispatcher. */
  enqueue(item: ReadyShot): void
  /** True when a shot chained after `shot` would win a slot over every take waiting now. */
  chainOutranksWaiting(shot: string): boolean
  /** A take's final outcome; the picked take's is its shot's. */
  settle(unit: TakeUnit, outcome: ShotOutcome): void
  /** The whole shot is not rendered (every take). */
  skip(shot: string, reason: string): void
  /** Something went wrong outside the provider's answers (disk, journal): the take fails with it, or aborts. */
  fail(unit: TakeUnit, error: unknown): void
}

/** Each take's way through the run: decide, reuse or render in a slot, land the clip, place the picked one and the frames. */
export interface ShotPipeline {
  /** The shot's inputs are ready: for each take, reuse a finished clip, skip, refuse, or queue it for a slot. */
  decide(shot: PlannedShot): Promise<void>
  /** Renders a queued take in its slot; never rejects. */
  render(item: ReadyShot, slot: Slot): Promise<void>
}

export function createShotPipeline(setup: PipelineSetup): ShotPipeline {
  const { graph, render: ctx } = setup

  /**
   * The take's clip is at its own place: the picked one also goes to `shots/<id>.mp4` (journaled when that
   * changes what is there) and to the caller; then the frames (the last one first when a shot waits for it).
   */
  const land = async (unit: TakeUnit, landed: Omit<LandedClip, 'clip'>) => {
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

  const reuse = async (unit: TakeUnit, decision: Extract<ShotDecision, { action: 'reuse' }>) => {
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
    const finished = await land(unit, {
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

  const complete = async (unit: TakeUnit, key: string, outcome: RenderOutcome, startedAt: number) => {
    const { shot, take } = unit
    const predictionId = outcome.predictionId ? { predictionId: outcome.predictionId } : {}
    if (outcome.status === 'aborted')
      return setup.settle(unit, { shot: shot.id, status: 'aborted', ...predictionId })
    if (outcome.status === 'failed') {
      const { message, attempts } = outcome
      return setup.settle(unit, {
        shot: shot.id,
        status: 'failed',
        message,
        ...(outcome.code ? { code: outcome.code } : {}),
        ...predictionId,
        attempts,
        cost: ctx.budget.spentOn(shot.id, take),
      })
    }
    try {
      const finished = await land(unit, { shot: shot.id, sha256: outcome.sha256, key, source: 'provider' })
      const timings: ShotTimings = {
        queuedAt: setup.queuedAt.get(shot.id)!,
        startedAt,
        ...(outcome.submittedAt === undefined ? {} : { submittedAt: outcome.submittedAt }),
        finishedAt: ctx.now(),
        ...(outcome.inferenceMs === undefined ? {} : { inferenceMs: outcome.inferenceMs }),
      }
      ctx.emit({
        type: 'done',
        ...aboutTake(unit),
        attempt: outcome.attempt,
        predictionId: outcome.predictionId,
        clip: finished.clip,
        sha256: outcome.sha256,
        key,
        timings,
      })
      setup.settle(unit, {
        shot: shot.id,
        status: 'done',
        predictionId: outcome.predictionId,
        attempts: outcome.attempts,
        cost: ctx.budget.spentOn(shot.id, take),
        timings,
        ...finished,
      })
    } catch (error) {
      if (ctx.signal?.aborted)
        setup.settle(unit, { shot: shot.id, status: 'aborted', predictionId: outcome.predictionId })
      else setup.fail(unit, error)
    }
  }

  const decideTake = async (unit: TakeUnit) => {
    const { shot, take } = unit
    try {
      if (ctx.signal?.aborted) return setup.settle(unit, { shot: shot.id, status: 'aborted' })
      const decision = await decideShot(shot, take, graph.clipSha, setup.decide)
      switch (decision.action) {
        case 'skip':
          return take === shot.pick
            ? setup.skip(shot.id, decision.reason)
            : setup.settle(unit, { shot: shot.id, status: 'skipped', reason: decision.reason })
        case 'refuse': {
          const a = decision.attempt
          const message = `${a.failure?.message ?? 'failed'} (prediction ${a.id ?? 'unknown'}, in an earlier run with the same inputs; change the shot, or force it to try again)`
          const predictionId = a.id ? { predictionId: a.id } : {}
          ctx.emit({
            type: 'failed',
            ...aboutTake(unit),
            attempt: a.attempt,
            ...predictionId,
            message,
            willRetry: false,
          })
          return setup.settle(unit, {
            shot: shot.id,
            status: 'failed',
            message,
            ...(a.failure?.code ? { code: a.failure.code } : {}),
            ...predictionId,
            attempts: 0,
            cost: 0,
          })
        }
        case 'reuse':
          return await reuse(unit, decision)
        default:
          // Decided only once every upstream clip exists, so the key is known.
          if (decision.key === undefined)
            throw new Error(`Shot "${shot.id}" was decided before its upstream clips existed.`)
          setup.enqueue({ shot, take, decision: { ...decision, key: decision.key } })
      }
    } catch (error) {
      setup.fail(unit, error)
    }
  }

  return {
    async decide(shot) {
      setup.open(shot)
      // In take order, one after another: a clip a run made before takes (take 1, in shots/<id>.mp4) is
      // linked to its own place before another take can be placed over it.
      for (let take = 1; take <= shot.takes; take++) await decideTake({ shot, take })
    },

    async render({ shot, take, decision }, slot) {
      const unit = { shot, take }
      const startedAt = ctx.now()
      try {
        const outcome = await renderShot(unit, decision, renderRequestOf(shot, take, ctx.layout), ctx)
        // The prediction is finished, so the account's slot is free. Keep it for the picked take's chain
        // (until its next shot is decided) only when that shot would win it anyway; otherwise the slot
        // goes to a waiting take of higher priority while the frames are extracted outside it.
        if (outcome.status === 'rendered' && !(take === shot.pick && setup.chainOutranksWaiting(shot.id)))
          slot.release()
        await complete(unit, decision.key, outcome, startedAt)
      } catch (error) {
        setup.fail(unit, error)
      }
    },
  }
}
