import { createHash } from 'node:crypto'
import type { Plan } from '@storyreel/core'
import { sha256File } from './hash-file.ts'
import type { Manifest } from './manifest.ts'
import { runDir } from './run-dir.ts'

/**
 * One hash of everything the reel is made from: the storyboard's bytes (order,
 * transitions, trims, output settings), every clip and the soundtrack. Equal
 * hashes mean stitching again would produce the same reel.
 */
export async function reelInputsHash(plan: Plan, root: string): Promise<string> {
  const dir = runDir(root)
  const clips = await Promise.all(plan.shots.map((s) => sha256File(dir.shot(s.id))))
  const audio = plan.output.audio ? await sha256File(plan.output.audio.file) : null
  return createHash('sha256').update(JSON.stringify({ storyboard: plan.hash, clips, audio })).digest('hex')
}

/** The previous run's reel and contact sheet, when they are still on disk, untouched, and made from `inputs`. */
export async function upToDateOutputs(previous: Manifest | undefined, inputs: string, root: string): Promise<Pick<Manifest, 'reel' | 'contactSheet'> | undefined> {
  const reel = previous?.reel
  if (!reel || reel.inputsSha256 !== inputs || !previous.contactSheet) return undefined
  const dir = runDir(root)
  const [reelSha] = await Promise.all([sha256File(dir.reel(reel.file)), sha256File(dir.contactSheet)]).catch(() => [undefined])
  return reelSha === reel.sha256 ? { reel, contactSheet: previous.contactSheet } : undefined
}
