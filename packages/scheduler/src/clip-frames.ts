import { sha256File } from './hash.ts'
import type { RunLayout } from './run-layout.ts'
import type { ClipHooks, FinishedClip } from './run-types.ts'
import { createTaskPool } from './task-pool.ts'

export interface FrameWork {
  /**
   * The frames of a shot's clip in place. The last frame is extracted now when another shot starts
   * from it (and its sha256 recorded, as the bytes that will be uploaded); the rest in the background.
   */
  place(shot: string, clip: string, chained: boolean): Promise<FinishedClip['frames']>
  /** Resolves once every background extraction has ended. */
  drain(): Promise<void>
}

export interface FrameWorkOptions {
  readonly layout: RunLayout
  readonly extractFrames: ClipHooks['extractFrames']
  readonly signal?: AbortSignal
  /** Records the sha256 of a last frame a chained shot starts from. */
  readonly hashed: (path: string, sha256: string) => void
  /** A background extraction failed: the clip is fine, but the shot has no frames. */
  readonly failed: (shot: string, error: unknown) => void
}

export function createFrameWork(options: FrameWorkOptions): FrameWork {
  const { layout, signal } = options
  const call = signal ? { signal } : {}
  // Extractions nobody waits for run outside the shots' slots, two at a time: enough to keep up,
  // few enough to leave CPU for the last frames chains wait on.
  const pool = createTaskPool(2)
  const background: Promise<void>[] = []
  return {
    async place(shot, clip, chained) {
      const frames = layout.shot(shot)
      if (chained) {
        await options.extractFrames(clip, { last: frames.last }, call)
        options.hashed(frames.last, await sha256File(frames.last))
      }
      background.push(
        pool.run(() => options.extractFrames(clip, { first: frames.first, ...(chained ? {} : { last: frames.last }) }, call)).catch((error: unknown) => options.failed(shot, error)),
      )
      return { first: frames.first, last: frames.last }
    },
    drain: async () => {
      await Promise.all(background)
    },
  }
}
