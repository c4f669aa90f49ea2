import { type IncrementalReel, openReel, type ReelProgress, type ReelResult } from '@storyreel/assembler'
import type { Plan } from '@storyreel/core'
import type { RunLayout, SchedulerEvent } from '@storyreel/scheduler'

/**
 * The reel made while the render runs: every clip the scheduler finishes is
 * normalised (and the transitions it completes are made) in the background, below
 * the render's CPU priority, so that after the last clip only a join is left.
 *
 * A clip is taken when its shot is `done` (or `cached`), not at the scheduler's
 * `onClip`: that fires before the last frame a chained shot waits for is
 * extracted, and an x264 encode started then takes the CPU from that extraction,
 * which is on the chain's critical path (measured: BENCHMARKS.md, issue 11 target 5).
 */
export interface LiveReel {
  /** Feed every scheduler event: finished clips are taken from `done` and `cached`. */
  readonly onEvent: (event: SchedulerEvent) => void
  /** Writes the reel from `clips` (shot id → clip); clips the background has not seen are landed first. */
  finish(
    clips: ReadonlyMap<string, string>,
    options: { signal?: AbortSignal; onProgress?: (progress: ReelProgress) => void },
  ): Promise<ReelResult>
  /** Stops the background; resolves once no ffmpeg it started runs. */
  close(): Promise<void>
}

export function openLiveReel(plan: Plan, layout: RunLayout, cacheDir: string): LiveReel {
  return liveReelOf(
    openReel({
      // A clip lasts its shot's duration (the animatic's exactly): the soundtrack is made for that length at once.
      segments: plan.shots.map((s) => ({
        id: s.id,
        trim: s.trim,
        seam: s.seam,
        transition: s.transition,
        expectedSeconds: s.params.duration,
      })),
      output: { ...plan.output, file: layout.reel(plan.output.file) },
      workDir: layout.workDir,
      cacheDir,
    }),
  )
}

function liveReelOf(reel: IncrementalReel): LiveReel {
  const landed = new Map<string, string>()
  const land = (shot: string, clip: string) => {
    landed.set(shot, clip)
    reel.clipLanded(shot, clip)
  }
  return {
    onEvent(event) {
      if (event.type !== 'done' && event.type !== 'cached') return
      // Takes other than the pick are alternatives beside the reel, not in it.
      if (event.picked === false) return
      // A clip for a shot the reel does not know (a storyboard edited mid-run) is the finish's business, not the render's.
      try {
        land(event.shot, event.clip)
      } catch {
        landed.delete(event.shot)
      }
    },
    async finish(clips, options) {
      for (const [shot, clip] of clips) if (landed.get(shot) !== clip) land(shot, clip)
      return reel.finish(options)
    },
    close: () => reel.close(),
  }
}
