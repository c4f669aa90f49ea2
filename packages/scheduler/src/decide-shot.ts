import type { ImageRef, PlannedShot, RenderRequest } from '@storyreel/core'
import type { ImageHasher, ImageIdentity } from './cache-key.ts'
import { cacheKey } from './cache-key.ts'
import type { ClipCache } from './clip-cache.ts'
import type { AttemptHistory, ShotHistory } from './journal-replay.ts'
import type { RunLayout } from './run-layout.ts'

export interface DecideContext {
  readonly providerName: string
  readonly layout: RunLayout
  readonly cache: ClipCache
  readonly histories: ReadonlyMap<string, ShotHistory>
  readonly images: ImageHasher
  /** Whether a finished clip may be used: its bytes still match the `sha256` recorded when it was verified. Memoised per run. */
  readonly trusted: (file: string, sha256: string) => Promise<boolean>
  /** Ignore finished clips (cache and run directory) for this shot. */
  readonly forced: (shot: string) => boolean
  /** May this shot be submitted (the `only` filter)? */
  readonly selected: (shot: string) => boolean
}

/** What to do with one shot whose upstream clips (if any) are known. */
export type ShotDecision =
  | {
      readonly action: 'reuse'
      readonly key: string
      readonly source: 'run-dir' | 'cache'
      readonly file: string
      readonly sha256: string
      readonly predictionId?: string
    }
  /** A prediction an earlier run created and never saw end (finished, or failed for good): wait for it, do not pay again. */
  | { readonly action: 'reattach'; readonly key: string; readonly attempt: AttemptHistory }
  /** An intent whose prediction id was never recorded: ask the provider before submitting again. */
  | { readonly action: 'recover'; readonly key: string; readonly attempt: AttemptHistory }
  /**
   * A clip this take had (journaled, or in the cache) whose bytes no longer match what was recorded:
   * fetched again from the finished prediction's output, which costs nothing.
   */
  | {
      readonly action: 'redownload'
      readonly key: string
      readonly predictionId: string
      readonly output: string
      readonly attempt?: AttemptHistory
    }
  | { readonly action: 'submit'; readonly key?: string }
  /** The same request failed for good before (e.g. moderation); submitting it again would fail the same way. */
  | { readonly action: 'refuse'; readonly key: string; readonly attempt: AttemptHistory }
  | { readonly action: 'skip'; readonly reason: string }

/** A decision that renders: the shot goes to a slot. Its key is known once its upstream clips are. */
export type RenderDecision = Extract<
  ShotDecision,
  { action: 'reattach' | 'recover' | 'redownload' | 'submit' }
> & { readonly key: string }

/** The request one take sends; a chained shot starts from its upstream's picked take's extracted last frame (`frames/<id>.last.png`). */
export function renderRequestOf(shot: PlannedShot, take: number, layout: RunLayout): RenderRequest {
  const start = shot.start
  const startImage: ImageRef | undefined =
    start.kind === 'none'
      ? undefined
      : start.kind === 'last-frame'
        ? { kind: 'file', path: layout.shot(start.shot).last }
        : start.kind === 'end-image'
          ? start.image
          : start
  return {
    shotId: shot.id,
    model: shot.model,
    params: shot.params,
    ...(startImage ? { startImage } : {}),
    ...(shot.end ? { endImage: shot.end } : {}),
    ...(take > 1 ? { take } : {}),
  }
}

/**
 * What to do with one take of a shot.
 * @param upstreamSha sha256 of each upstream shot's picked clip; `undefined` for one that is not rendered yet,
 *   in which case the key cannot be known and the take will have to be submitted.
 */
export async function decideShot(
  shot: PlannedShot,
  take: number,
  upstreamSha: (shot: string) => string | undefined,
  ctx: DecideContext,
): Promise<ShotDecision> {
  const key = await keyOf(shot, take, upstreamSha, ctx)
  const selected = ctx.selected(shot.id)
  if (key === undefined)
    return selected ? { action: 'submit' } : { action: 'skip', reason: notSelected(shot) }

  const history = ctx.histories.get(shot.id)
  const attempts = history?.attempts.filter((a) => a.take === take) ?? []
  if (!ctx.forced(shot.id)) {
    const clip = history?.clips.get(take)
    let damaged = false
    if (clip?.key === key) {
      const file = ctx.layout.resolve(clip.file)
      if (await ctx.trusted(file, clip.sha256)) {
        return {
          action: 'reuse',
          key,
          source: 'run-dir',
          file,
          sha256: clip.sha256,
          ...(clip.predictionId ? { predictionId: clip.predictionId } : {}),
        }
      }
      damaged = true
    }
    const cached = await ctx.cache.lookup(key)
    if (cached && (await ctx.trusted(cached.path, cached.sha256))) {
      return {
        action: 'reuse',
        key,
        source: 'cache',
        file: cached.path,
        sha256: cached.sha256,
        ...(cached.predictionId ? { predictionId: cached.predictionId } : {}),
      }
    }
    // The clip was had and went bad since (same-size corruption, a truncated copy): the prediction that
    // made it is finished and paid for, so its output is fetched again rather than a new one bought.
    const made = attempts.findLast(
      (a) => a.key === key && a.sha256 !== undefined && a.id !== undefined && a.output !== undefined,
    )
    if (damaged && made)
      return { action: 'redownload', key, predictionId: made.id!, output: made.output!, attempt: made }
    if (cached?.predictionId && cached.output)
      return { action: 'redownload', key, predictionId: cached.predictionId, output: cached.output }
  }

  const latest = attempts.at(-1)
  if (latest?.key === key && latest.sha256 === undefined) {
    if (!latest.failure)
      return latest.id
        ? { action: 'reattach', key, attempt: latest }
        : { action: 'recover', key, attempt: latest }
    // A failure that is not the prediction's own end was a failure to read its status (older versions
    // journaled those): the prediction may have finished, and it is paid for.
    if (latest.id && !latest.failure.ended && latest.failure.retryable !== false)
      return { action: 'reattach', key, attempt: latest }
  }
  // Refused only when a prediction ran and failed for good (moderation, invalid input) or may exist
  // unseen; a submission the API turned away (balance, bad request) created nothing, so a re-run tries again.
  const finalVerdict =
    latest?.failure?.retryable === false &&
    (latest.id !== undefined || latest.failure.code === 'SCHED_AMBIGUOUS_SUBMISSION')
  if (latest?.key === key && finalVerdict && !ctx.forced(shot.id))
    return { action: 'refuse', key, attempt: latest }
  if (!selected) return { action: 'skip', reason: notSelected(shot) }
  return { action: 'submit', key }
}

function notSelected(shot: PlannedShot): string {
  return `not selected by \`only\` and no finished clip matches its current inputs; add "${shot.id}" to \`only\` to render it`
}

async function keyOf(
  shot: PlannedShot,
  take: number,
  upstreamSha: (shot: string) => string | undefined,
  ctx: DecideContext,
): Promise<string | undefined> {
  let start: ImageIdentity | undefined
  const s = shot.start
  if (s.kind === 'last-frame') {
    const sha256 = upstreamSha(s.shot)
    if (sha256 === undefined) return undefined
    start = { sha256 }
  } else if (s.kind === 'end-image') start = await ctx.images.identity(s.image)
  else if (s.kind !== 'none') start = await ctx.images.identity(s)
  const end = shot.end ? await ctx.images.identity(shot.end) : undefined
  return cacheKey({
    provider: ctx.providerName,
    shot,
    take,
    ...(start ? { start } : {}),
    ...(end ? { end } : {}),
  })
}
