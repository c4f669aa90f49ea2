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
 * from the cache), is extracted as before. A frame extracted before the verification (a chained
 * shot's start frame is taken from the clip's end while the rest is still being checked) is not
 * written again by it, so no copy is left behind in `workDir`.
 */
export function sharedDecodeHooks(
  workDir: string,
): Required<Pick<ClipHooks, 'verifyClip' | 'extractFrames'>> {
  const verified = new Map<string, { identity: string; frames: Partial<Frames> }>()
  const extracted = new Map<string, { identity: string; which: Set<keyof Frames> }>()
  const identity = async (clip: string) => {
    const { size, mtimeMs, ino } = await stat(clip)
    return `${size}:${mtimeMs}:${ino}`
  }
  return {
    async verifyClip(clip, expected, call) {
      const dir = join(workDir, 'verified-frames')
      await mkdir(dir, { recursive: true })
      const base = join(dir, createHash('sha256').update(clip).digest('hex').slice(0, 16))
      const before = extracted.get(clip)
      const done = before && before.identity === (await identity(clip)) ? before.which : new Set()
      const frames: Partial<Frames> = {
        ...(done.has('first') ? {} : { first: `${base}.first.png` }),
        ...(done.has('last') ? {} : { last: `${base}.last.png` }),
      }
      verified.delete(clip)
      try {
        await verifyClip(clip, { expectedDuration: expected.duration, frames, ...call })
      } catch (error) {
        await Promise.all(Object.values(frames).map((frame) => rm(frame, { force: true })))
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
        const from = known?.frames[which]
        const moved =
          from !== undefined &&
          current === known?.identity &&
          (await rename(from, dest).then(
            () => true,
            () => false,
          ))
        if (!moved) missing[which] = dest
      }
      if (!missing.first && !missing.last) return
      await extractFrames(clip, missing, call)
      const which = extracted.get(clip)?.which ?? new Set<keyof Frames>()
      for (const frame of ['first', 'last'] as const) if (missing[frame]) which.add(frame)
      extracted.set(clip, { identity: await identity(clip), which })
    },
  }
}
