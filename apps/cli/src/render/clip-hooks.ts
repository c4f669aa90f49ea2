import { createHash } from 'node:crypto'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { extractFrames, verifyClip } from '@storyreel/assembler'
import type { ClipHooks } from '@storyreel/scheduler'

type Frames = { readonly first: string; readonly last: string }

/**
 * The scheduler's `verifyClip` and `extractFrames` hooks, sharing one decode per clip.
 * Verifying a downloaded clip decodes every frame anyway, so its first and last frames are
 * written by that same decode (into `workDir`); the extraction the scheduler asks for next
 * (the last frame a chained shot waits for, then the first) moves them into place instead of
 * decoding the clip again. A clip changed since it was verified, or never verified (reused
 * from the cache), is extracted as before.
 */
export function sharedDecodeHooks(
  workDir: string,
): Required<Pick<ClipHooks, 'verifyClip' | 'extractFrames'>> {
  const verified = new Map<string, { identity: string; frames: Frames }>()
  const identity = async (clip: string) => {
    const { size, mtimeMs, ino } = await stat(clip)
    return `${size}:${mtimeMs}:${ino}`
  }
  return {
    async verifyClip(clip, expected, call) {
      const dir = join(workDir, 'verified-frames')
      await mkdir(dir, { recursive: true })
      const base = join(dir, createHash('sha256').update(clip).digest('hex').slice(0, 16))
      const frames = { first: `${base}.first.png`, last: `${base}.last.png` }
      verified.delete(clip)
      try {
        await verifyClip(clip, { expectedDuration: expected.duration, frames, ...call })
      } catch (error) {
        await Promise.all([rm(frames.first, { force: true }), rm(frames.last, { force: true })])
        throw error
      }
      verified.set(clip, { identity: await identity(clip), frames })
    },

    async extractFrames(clip, wanted, call) {
      const known = verified.get(clip)
      const current = known && (await identity(clip).catch(() => undefined))
      const missing: { first?: string; last?: string } = {}
      for (const which of ['first', 'last'] as const) {
        const dest = wanted[which]
        if (!dest) continue
        const moved =
          known &&
          current === known.identity &&
          (await rename(known.frames[which], dest).then(
            () => true,
            () => false,
          ))
        if (!moved) missing[which] = dest
      }
      if (missing.first || missing.last) await extractFrames(clip, missing, call)
    },
  }
}
