import { access } from 'node:fs/promises'
import { assembleReel, contactSheet, type ContactSheetShot, type ReelStage } from '@storyreel/assembler'
import type { Plan } from '@storyreel/core'
import { type RunLayout, sha256File } from '@storyreel/scheduler'
import type { LiveReel } from './live-reel.ts'
import type { Manifest } from './manifest.ts'
import type { ReelClip } from './reel-inputs.ts'

/** A step of stitching: the assembler's stages, then the contact sheet. */
export type AssemblyPhase = ReelStage | 'contact-sheet'

/** How far stitching is: `fraction` (0–1) of `phase`, as ffmpeg's `-progress` reports it. */
export interface AssemblyProgress {
  readonly phase: AssemblyPhase
  readonly fraction: number
}

export interface AssembleOptions {
  readonly signal?: AbortSignal | undefined
  /** Told what is being made, since stitching a long reel takes a while. */
  readonly notify?: ((text: string) => void) | undefined
  readonly onProgress?: ((progress: AssemblyProgress) => void) | undefined
  /** Where ffmpeg's capabilities are cached. */
  readonly cacheDir: string
  /** The reel the render has been making while clips landed: then only what is left is done here. */
  readonly live?: LiveReel | undefined
}

type ReelRecord = NonNullable<Manifest['reel']>

/** The reel and the contact sheet, from the clips and the frames the scheduler already extracted. */
export async function assembleOutputs(
  plan: Plan,
  layout: RunLayout,
  clips: readonly ReelClip[],
  inputsSha256: string,
  options: AssembleOptions,
): Promise<{ reel: ReelRecord; contactSheet: string }> {
  const { signal, onProgress } = options
  const reelPath = layout.reel(plan.output.file)
  options.notify?.(
    `Stitching ${plan.shots.length} clip${plan.shots.length === 1 ? '' : 's'} into ${plan.output.file}...`,
  )
  const reelProgress =
    onProgress &&
    ((p: { stage: ReelStage; fraction: number }) => onProgress({ phase: p.stage, fraction: p.fraction }))
  // The contact sheet needs only the frames, so it is made while the reel is joined, at the lowest CPU
  // priority (below the live reel's background work too) so that the reel is not kept waiting; its progress is shown once the reel's is over,
  // so the phases still come one after the other.
  let reelDone = false
  let sheetFraction = 0
  const sheetProgress = (fraction: number): void => {
    sheetFraction = fraction
    if (reelDone) onProgress?.({ phase: 'contact-sheet', fraction })
  }
  const sheet = sheetShots(clips).then((shots) =>
    contactSheet(shots, layout.contactSheet, {
      cacheDir: options.cacheDir,
      priority: 'lowest',
      ...(signal && { signal }),
      ...(onProgress && { onProgress: (p: { fraction: number }) => sheetProgress(p.fraction) }),
    }),
  )
  sheet.catch(() => undefined) // awaited below, after the reel; a failed reel must not leave it unhandled
  const made = options.live
    ? await options.live.finish(new Map(clips.map((c) => [c.id, c.clip])), {
        ...(signal && { signal }),
        ...(reelProgress && { onProgress: reelProgress }),
      })
    : await assembleReel({
        segments: plan.shots.map((s, i) => ({
          file: clips[i]!.clip,
          id: s.id,
          trim: s.trim,
          seam: s.seam,
          transition: s.transition,
        })),
        output: { ...plan.output, file: reelPath },
        workDir: layout.workDir,
        cacheDir: options.cacheDir,
        ...(signal && { signal }),
        ...(reelProgress && { onProgress: reelProgress }),
      })
  const writtenAt = new Date().toISOString()
  reelDone = true
  onProgress?.({ phase: 'contact-sheet', fraction: sheetFraction })
  await sheet
  return {
    reel: {
      file: plan.output.file,
      duration: made.duration,
      sha256: await sha256File(reelPath),
      inputsSha256,
      writtenAt,
    },
    contactSheet: layout.relative(layout.contactSheet),
  }
}

/** Each shot's takes, or its frames in `frames/` when both are there (nothing decoded), else its clip. */
async function sheetShots(clips: readonly ReelClip[]): Promise<ContactSheetShot[]> {
  return Promise.all(
    clips.map(async (c): Promise<ContactSheetShot> => {
      if (c.takes)
        return {
          id: c.id,
          takes: c.takes.map(({ take, first, last, picked }) => ({ take, first, last, picked })),
        }
      const frames =
        c.frames && (await Promise.all([exists(c.frames.first), exists(c.frames.last)])).every(Boolean)
          ? c.frames
          : undefined
      return frames ? { id: c.id, first: frames.first, last: frames.last } : { id: c.id, clip: c.clip }
    }),
  )
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}
