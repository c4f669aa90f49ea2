import { sha256File } from './hash.ts'
import { linkOrCopy } from './link-or-copy.ts'
import type { TakeUnit } from './render-context.ts'
import type { RunLayout } from './run-layout.ts'
import type { ClipHooks, FinishedClip } from './run-types.ts'
import { createTaskPool } from './task-pool.ts'

export interface FrameWork {
  /**
   * The frames of a take's clip in place, beside it (`takes/<id>/take-<n>.{first,last}.png`) and, for the
   * picked take, in `frames/<id>.{first,last}.png`. The last frame is extracted now when another shot starts
   * from it (and its sha256 recorded, as the bytes that will be uploaded); the rest in the background.
   */
  place(unit: TakeUnit, clip: string, chained: boolean): Promise<FinishedClip['frames']>
  /**
   * Only the last frame a chained shot starts from, ahead of `place` (which then leaves it as it is): the
   * exact last frame, decoded from the clip's final keyframe interval, so it also proves the clip's end decodes.
   */
  placeLast(unit: TakeUnit, clip: string): Promise<void>
  /** Resolves once every background extraction has ended. */
  drain(): Promise<void>
}

export interface FrameWorkOptions {
  readonly layout: RunLayout
  readonly extractFrames: ClipHooks['extractFrames']
  readonly signal?: AbortSignal
  /** Records the sha256 of a last frame a chained shot starts from. */
  readonly hashed: (path: string, sha256: string) => void
  /** A background extraction failed: the clip is fine, but the take has no frames. */
  readonly failed: (unit: TakeUnit, error: unknown) => void
}

export function createFrameWork(options: FrameWorkOptions): FrameWork {
  const { layout, signal } = options
  const call = signal ? { signal } : {}
  // Extractions nobody waits for run outside the shots' slots, two at a time: enough to keep up,
  // few enough to leave CPU for the last frames chains wait on.
  const pool = createTaskPool(2)
  const background: Promise<void>[] = []
  /** Takes whose last frame `placeLast` already put in place. */
  const lastPlaced = new Set<string>()
  const named = (unit: TakeUnit) => {
    const own = layout.take(unit.shot.id, unit.take)
    const picked = unit.take === unit.shot.pick
    return { own, picked, shown: picked ? layout.shot(unit.shot.id) : own }
  }
  const placeLast = async (unit: TakeUnit, clip: string) => {
    const { own, picked, shown } = named(unit)
    await options.extractFrames(clip, { last: own.last }, call)
    // Hard links: the picked take's frames are the same files under the names chained shots and readers use.
    if (picked) await linkOrCopy(own.last, shown.last)
    options.hashed(shown.last, await sha256File(shown.last))
    lastPlaced.add(`${unit.shot.id}/${unit.take}`)
  }
  return {
    placeLast,
    async place(unit, clip, chained) {
      const { own, picked, shown } = named(unit)
      const show = async (frame: 'first' | 'last') => {
        if (picked) await linkOrCopy(own[frame], shown[frame])
      }
      const waitedFor = chained && picked
      if (waitedFor && !lastPlaced.has(`${unit.shot.id}/${unit.take}`)) await placeLast(unit, clip)
      background.push(
        pool
          .run(async () => {
            await options.extractFrames(
              clip,
              { first: own.first, ...(waitedFor ? {} : { last: own.last }) },
              call,
            )
            await show('first')
            if (!waitedFor) await show('last')
          })
          .catch((error: unknown) => options.failed(unit, error)),
      )
      return { first: shown.first, last: shown.last }
    },
    drain: async () => {
      await Promise.all(background)
    },
  }
}
