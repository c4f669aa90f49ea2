import { createHash } from 'node:crypto'
import type { Plan } from '@storyreel/core'
import { type RunLayout, sha256File } from '@storyreel/scheduler'
import type { Manifest } from './manifest.ts'

/** A shot's clip as the reel and the contact sheet use it, with the facts the scheduler already has. */
export interface ReelClip {
  readonly id: string
  readonly clip: string
  readonly sha256: string
  /** Its first and exact last frame, when both are on disk (`frames/`): the contact sheet decodes nothing. */
  readonly frames?: { readonly first: string; readonly last: string }
  /** A shot with several takes: each one's frames and clip hash, for the contact sheet's row. */
  readonly takes?: readonly ReelTake[]
}

export interface ReelTake {
  readonly take: number
  readonly first: string
  readonly last: string
  readonly sha256: string
  readonly picked: boolean
}

/**
 * One hash of everything the reel and the contact sheet are made from: the storyboard's bytes (order,
 * transitions, trims, output settings), every clip (their sha256 as the run store recorded them), the
 * takes of shots that have several, and the soundtrack. Equal hashes mean stitching again would produce the same reel.
 */
export async function reelInputsHash(plan: Plan, clips: readonly ReelClip[]): Promise<string> {
  const audio = plan.output.audio ? await sha256File(plan.output.audio.file) : null
  // Takes only enter the hash when a shot has several (undefined is left out of the JSON), so runs without takes keep their hash.
  const takes = clips.some((c) => c.takes)
    ? clips.map((c) => c.takes?.map((t) => t.sha256) ?? null)
    : undefined
  return createHash('sha256')
    .update(JSON.stringify({ storyboard: plan.hash, clips: clips.map((c) => c.sha256), audio, takes }))
    .digest('hex')
}

/** The previous run's reel and contact sheet, when they are still on disk, untouched, and made from `inputs`. */
export async function upToDateOutputs(
  previous: Manifest | undefined,
  inputs: string,
  layout: RunLayout,
): Promise<Pick<Manifest, 'reel' | 'contactSheet'> | undefined> {
  const reel = previous?.reel
  if (!reel || reel.inputsSha256 !== inputs || !previous.contactSheet) return undefined
  const [reelSha] = await Promise.all([
    sha256File(layout.reel(reel.file)),
    sha256File(layout.contactSheet),
  ]).catch(() => [undefined])
  return reelSha === reel.sha256 ? { reel, contactSheet: previous.contactSheet } : undefined
}
