import type { PlannedShot } from '@storyreel/core'
import type { FrameWork } from './clip-frames.ts'
import type { DecideContext } from './decide-shot.ts'
import type { ReadyShot } from './dispatcher.ts'
import type { RenderContext, TakeUnit } from './render-context.ts'
import type { ClipHooks, ShotOutcome } from './run-types.ts'
import type { ShotGraph } from './shot-graph.ts'

/** What the shot pipeline's steps (decide, reuse, render, complete, land) need from the run. */
export interface PipelineSetup {
  readonly graph: ShotGraph
  readonly decide: DecideContext
  readonly render: RenderContext
  readonly frames: FrameWork
  readonly onClip?: ClipHooks['onClip']
  /** When each shot was accepted by the run. */
  readonly queuedAt: ReadonlyMap<string, number>
  /** The shot's takes are about to be decided: the run does not end before each has an outcome. */
  readonly open: (shot: PlannedShot) => void
  /** Hands a take that must render to the dispatcher. */
  readonly enqueue: (item: ReadyShot) => void
  /** True when a shot chained after `shot` would win a slot over every take waiting now. */
  readonly chainOutranksWaiting: (shot: string) => boolean
  /** A take's final outcome; the picked take's is its shot's. */
  readonly settle: (unit: TakeUnit, outcome: ShotOutcome) => void
  /** Readies the shots chained after a picked take before its own outcome is final (see `TakeLedger.handOff`). */
  readonly handOff: (unit: TakeUnit, outcome: ShotOutcome) => void
  /** The whole shot is not rendered (every take). */
  readonly skip: (shot: string, reason: string) => void
  /** Something went wrong outside the provider's answers (disk, journal): the take fails with it, or aborts. */
  readonly fail: (unit: TakeUnit, error: unknown) => void
}
