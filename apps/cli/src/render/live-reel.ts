import { openReel, type IncrementalReel, type ReelProgress, type ReelResult } from '@storyreel/assembler'
import type { Plan } from '@storyreel/core'
import type { LandedClip, RunLayout } from '@storyreel/scheduler'

/**
 * The reel made while the render runs: every clip the scheduler lands is
 * normalised (and the transitions it completes are made) in the background, one
 * ffmpeg at a time, so that after the last clip only a join is left.
 */
export interface LiveReel {
  /** The scheduler's `onClip` hook. */
  readonly onClip: (clip: LandedClip) => void
  /** Writes the reel from `clips` (shot id → clip); clips the background has not seen are landed first. */
  finish(clips: ReadonlyMap<string, string>, options: { signal?: AbortSignal; onProgress?: (progress: ReelProgress) => void }): Promise<ReelResult>
  /** Stops the background; resolves once no ffmpeg it started runs. */
  close(): Promise<void>
}

export function openLiveReel(plan: Plan, layout: RunLayout, cacheDir: string): LiveReel {
  return liveReelOf(
    openReel({
      segments: plan.shots.map((s) => ({ id: s.id, trim: s.trim, seam: s.seam, transition: s.transition })),
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
    onClip(clip) {
      // A clip for a shot the reel does not know (a storyboard edited mid-run) is the finish's business, not the render's.
      try {
        land(clip.shot, clip.clip)
      } catch {
        landed.delete(clip.shot)
      }
    },
    async finish(clips, options) {
      for (const [shot, clip] of clips) if (landed.get(shot) !== clip) land(shot, clip)
      return reel.finish(options)
    },
    close: () => reel.close(),
  }
}
