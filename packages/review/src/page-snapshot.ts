import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { fileUrl } from './run-files.ts'
import type { ReviewSnapshot, RunFile } from './types.ts'

/**
 * The snapshot as the page reads it: every run file turned into a `/files/...?v=` URL whose version
 * changes with the file's bytes (its sha256, else its size and mtime), so a re-rendered reel or take is a
 * new URL and the browser cannot show a stale copy.
 */
export async function pageSnapshot(snapshot: ReviewSnapshot, runDir: string): Promise<unknown> {
  if (!snapshot.valid) return snapshot
  const url = async (file: RunFile | string | undefined) => {
    if (file === undefined) return undefined
    const ref = typeof file === 'string' ? { file } : file
    const info = await stat(resolve(runDir, ref.file)).catch(() => undefined)
    if (!info) return undefined
    return fileUrl(
      ref.file,
      ref.sha256?.slice(0, 16) ?? `${info.size.toString(36)}-${Math.round(info.mtimeMs).toString(36)}`,
    )
  }
  const shots = await Promise.all(
    snapshot.shots.map(async (shot) => ({
      ...shot,
      takes: await Promise.all(
        shot.takes.map(async (take) => ({
          ...take,
          clipUrl: await url(take.clip),
          posterUrl: await url(take.poster),
        })),
      ),
    })),
  )
  return { ...snapshot, shots, reelUrl: await url(snapshot.reel) }
}
