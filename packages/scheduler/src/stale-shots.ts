import type { Plan, PlannedShot, Provider } from '@storyreel/core'
import { openClipCache } from './clip-cache.ts'
import { decideContext, estimateWith } from './estimate.ts'
import { openFileRunStore } from './file-run-store.ts'
import { canonicalJson } from './hash.ts'
import { replayJournal, type ShotHistory } from './journal-replay.ts'
import { sumUsd } from './usd.ts'

/**
 * Why a shot must render again:
 * `added`: the run has never rendered it; `takes`: only takes it never had (takes raised);
 * `start`: its own settings are unchanged but its start image is not (a shot it continues from
 * re-renders or has another take picked, or its image file was edited); `edited`: its prompt,
 * model or other settings changed.
 */
export type StaleReason = 'added' | 'takes' | 'start' | 'edited'

export interface StaleShot {
  readonly shot: string
  /** The takes that would be submitted, in order. */
  readonly takes: readonly number[]
  readonly reason: StaleReason
  /** USD for one attempt of each of those takes; 0 for a free provider. */
  readonly cost: number
}

export interface StaleReport {
  /** In storyboard order; shots whose every take is finished are not listed. */
  readonly shots: readonly StaleShot[]
  readonly cost: number
  /** Predictions a render would create (retries not counted). */
  readonly submissions: number
}

export interface StaleOptions {
  readonly provider: Pick<Provider, 'name' | 'paid'>
  readonly runDir: string
  readonly cacheDir: string
}

/**
 * Which shots a render of `plan` into `runDir` would submit, and why: after a pick, an edit, a raise
 * of `takes` or a new shot. Reads the run's journal and the clip cache; changes nothing. A shot chained
 * after one that must render counts as stale (its start image will change).
 */
export async function staleShots(plan: Plan, options: StaleOptions): Promise<StaleReport> {
  const store = openFileRunStore(options.runDir)
  const histories = replayJournal(await store.readJournal())
  const ctx = decideContext(
    plan,
    { provider: options.provider, layout: store.layout, cache: openClipCache(options.cacheDir) },
    histories,
  )
  const estimate = await estimateWith(plan, ctx, options.provider)
  const stale: StaleShot[] = []
  plan.shots.forEach((shot, i) => {
    const submitted = estimate.shots[i]!.takes.filter((t) => t.action === 'submit')
    if (submitted.length === 0) return
    const takes = submitted.map((t) => t.take)
    stale.push({
      shot: shot.id,
      takes,
      reason: reasonOf(shot, takes, histories.get(shot.id)),
      cost: sumUsd(submitted.map((t) => t.cost)),
    })
  })
  return {
    shots: stale,
    cost: sumUsd(stale.map((s) => s.cost)),
    submissions: stale.reduce((n, s) => n + s.takes.length, 0),
  }
}

function reasonOf(
  shot: PlannedShot,
  takes: readonly number[],
  history: ShotHistory | undefined,
): StaleReason {
  const had = (take: number) =>
    history !== undefined && (history.clips.has(take) || history.attempts.some((a) => a.take === take))
  if (![...Array(shot.takes).keys()].some((i) => had(i + 1))) return 'added'
  if (takes.every((take) => !had(take))) return 'takes'
  // The journal keeps what each attempt sent; the start image is a path (or the upstream's last frame), so
  // equal settings mean only the start image's bytes can have changed.
  const sent = history?.attempts.at(-1)?.request
  if (!sent) return shot.start.kind === 'last-frame' ? 'start' : 'edited'
  const ownStart = shot.start.kind === 'file' || shot.start.kind === 'url' ? shot.start : undefined
  const same =
    sent.model === shot.model.id &&
    canonicalJson(sent.params) === canonicalJson(shot.params) &&
    canonicalJson(sent.endImage ?? null) === canonicalJson(shot.end ?? null) &&
    (ownStart === undefined || canonicalJson(sent.startImage ?? null) === canonicalJson(ownStart))
  return same ? 'start' : 'edited'
}
