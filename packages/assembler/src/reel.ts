import type { Plan } from '@storyreel/core'
import { AssemblerError } from './errors.ts'
import { openReel } from './open-reel.ts'
import type { AssembleReelOptions, ReelResult, ReelSegment } from './reel-types.ts'

export type {
  AssembleReelOptions,
  ReelMethod,
  ReelProgress,
  ReelResult,
  ReelSegment,
  ReelShot,
  ReelStage,
} from './reel-types.ts'

/**
 * Stitches clips into one reel. Clips that already match (and plain cuts, no trim,
 * no seam, no soundtrack) are joined by stream copy. Otherwise each clip becomes a
 * cached mezzanine (see MEZZANINE); the reel is their bodies stream-copied, with only
 * the transitions and cut points between keyframes re-encoded (pieces cached too),
 * joined by the concat demuxer, the audio mixed from the mezzanines' PCM with an
 * optional soundtrack under it. Written to a temporary name, then renamed; `+faststart`.
 *
 * @example
 * await assembleReel({ segments: reelSegments(plan, clips), output: { ...plan.output, file: 'out/reel.mp4' }, workDir: 'out/.work' })
 */
export async function assembleReel(options: AssembleReelOptions): Promise<ReelResult> {
  if (options.segments.length === 0)
    throw new AssemblerError('ASM_BAD_INPUT', 'assembleReel needs at least one segment.')
  const reel = openReel({
    segments: options.segments,
    output: options.output,
    workDir: options.workDir,
    cacheDir: options.cacheDir,
    ...(options.signal && { signal: options.signal }),
  })
  try {
    return await reel.finish({
      onProgress: options.onProgress,
      ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
      ...(options.reencode && { reencode: options.reencode }),
    })
  } finally {
    await reel.close()
  }
}

/**
 * The reel's segments for a plan, in storyboard order, from a map of shot id to
 * its rendered clip.
 */
export function reelSegments(
  plan: Pick<Plan, 'shots'>,
  clips: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): ReelSegment[] {
  const clipOf = (id: string): string | undefined =>
    clips instanceof Map ? clips.get(id) : (clips as Readonly<Record<string, string>>)[id]
  return [...plan.shots]
    .sort((a, b) => a.index - b.index)
    .map((shot) => {
      const file = clipOf(shot.id)
      if (!file)
        throw new AssemblerError(
          'ASM_BAD_INPUT',
          `No clip for shot ${shot.id}; render it before assembling the reel.`,
        )
      return { file, id: shot.id, trim: shot.trim, seam: shot.seam, transition: shot.transition }
    })
}
