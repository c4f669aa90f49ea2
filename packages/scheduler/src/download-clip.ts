import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { RenderResult } from '@storyreel/core'
import { providerErrorFacts, systemCodeOf } from './errors.ts'
import { sha256File } from './hash.ts'
import type { RenderContext, TakeUnit } from './render-context.ts'

export type Downloaded =
  | { readonly ok: true; readonly clip: string; readonly sha256: string }
  /** `code`: the system's, when the machine was the cause (a full disk while writing the clip). */
  | { readonly ok: false; readonly aborted: boolean; readonly message: string; readonly code?: string }

/**
 * Fetches a finished prediction's clip into its take's place (`takes/<id>/take-<n>.mp4`), checks it (the `verifyClip` hook),
 * then journals and caches it. A clip that cannot be fetched or does not check out is not
 * journaled, so the journal still says "completed" and a re-run fetches it again without paying.
 */
export async function downloadClip(
  { shot, take }: TakeUnit,
  key: string,
  attempt: number,
  id: string,
  result: RenderResult,
  ctx: RenderContext,
): Promise<Downloaded> {
  const { signal } = ctx
  const clip = ctx.layout.take(shot.id, take).clip
  let step = 'could not be downloaded'
  try {
    await mkdir(dirname(clip), { recursive: true })
    await ctx.provider.download(result, clip, signal ? { signal } : {})
    step = 'is not usable'
    await ctx.verifyClip?.(clip, { duration: shot.params.duration }, signal ? { signal } : {})
  } catch (error) {
    if (signal?.aborted) return { ok: false, aborted: true, message: 'aborted' }
    const message = providerErrorFacts(error).message.replace(/\.$/, '')
    const code = systemCodeOf(error)
    return {
      ok: false,
      aborted: false,
      message: `Prediction ${id} finished but its clip ${step}: ${message}. Re-run to download it again (nothing is paid twice).`,
      ...(code ? { code } : {}),
    }
  }
  const sha256 = await sha256File(clip)
  await ctx.journal.append({
    type: 'downloaded',
    at: ctx.now(),
    shot: shot.id,
    take,
    attempt,
    id,
    key,
    file: ctx.layout.relative(clip),
    sha256,
  })
  await ctx.cache.store(key, clip, { sha256, predictionId: id, output: result.output })
  return { ok: true, clip, sha256 }
}
