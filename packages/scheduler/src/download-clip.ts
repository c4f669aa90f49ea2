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

export type NotDownloaded = Extract<Downloaded, { ok: false }>

/** One finished prediction's clip: which take, under which key, from which attempt and prediction. */
export interface ClipOrigin {
  readonly unit: TakeUnit
  readonly key: string
  readonly attempt: number
  readonly id: string
  readonly result: RenderResult
}

/**
 * Fetches a finished prediction's clip into its take's place (`takes/<id>/take-<n>.mp4`), checks it (the `verifyClip` hook),
 * then journals and caches it. A clip that cannot be fetched or does not check out is not
 * journaled, so the journal still says "completed" and a re-run fetches it again without paying.
 */
export async function downloadClip(origin: ClipOrigin, ctx: RenderContext): Promise<Downloaded> {
  const fetched = await fetchClip(origin, ctx)
  return fetched.ok ? keepClip(origin, ctx) : fetched
}

/** Only the fetch: the clip at its take's place, not yet checked, journaled or cached. */
export async function fetchClip(
  { unit, id, result }: ClipOrigin,
  ctx: RenderContext,
): Promise<{ readonly ok: true; readonly clip: string } | NotDownloaded> {
  const { signal } = ctx
  const clip = ctx.layout.take(unit.shot.id, unit.take).clip
  try {
    await mkdir(dirname(clip), { recursive: true })
    await ctx.provider.download(result, clip, signal ? { signal } : {})
  } catch (error) {
    return notDownloaded(error, id, 'could not be downloaded', ctx)
  }
  return { ok: true, clip }
}

/**
 * The rest, for a fetched clip: checked by `verifyClip`, then journaled as downloaded and cached. Only
 * a clip that passed the check gets here: the cache never holds one that did not.
 */
export async function keepClip(origin: ClipOrigin, ctx: RenderContext): Promise<Downloaded> {
  const { unit, key, attempt, id, result } = origin
  const { signal } = ctx
  const clip = ctx.layout.take(unit.shot.id, unit.take).clip
  try {
    await ctx.verifyClip?.(clip, { duration: unit.shot.params.duration }, signal ? { signal } : {})
  } catch (error) {
    return notDownloaded(error, id, 'is not usable', ctx)
  }
  const sha256 = await sha256File(clip)
  await ctx.journal.append({
    type: 'downloaded',
    at: ctx.now(),
    shot: unit.shot.id,
    take: unit.take,
    attempt,
    id,
    key,
    file: ctx.layout.relative(clip),
    sha256,
  })
  await ctx.cache.store(key, clip, { sha256, predictionId: id, output: result.output })
  return { ok: true, clip, sha256 }
}

function notDownloaded(error: unknown, id: string, step: string, ctx: RenderContext): NotDownloaded {
  if (ctx.signal?.aborted) return { ok: false, aborted: true, message: 'aborted' }
  const message = providerErrorFacts(error).message.replace(/\.$/, '')
  const code = systemCodeOf(error)
  return {
    ok: false,
    aborted: false,
    message: `Prediction ${id} finished but its clip ${step}: ${message}. Re-run to download it again (nothing is paid twice).`,
    ...(code ? { code } : {}),
  }
}
