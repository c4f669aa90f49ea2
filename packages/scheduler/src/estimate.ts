import type { Plan, PlannedShot, Provider } from '@storyreel/core'
import { createImageHasher } from './cache-key.ts'
import { type ClipCache, openClipCache } from './clip-cache.ts'
import type { DecideContext, ShotDecision } from './decide-shot.ts'
import { decideShot } from './decide-shot.ts'
import { schedulerError } from './errors.ts'
import { openFileRunStore } from './file-run-store.ts'
import { sha256File } from './hash.ts'
import { replayJournal } from './journal-replay.ts'
import { dependentsOf } from './priority.ts'
import type { RunLayout } from './run-layout.ts'
import { sumUsd } from './usd.ts'

export interface EstimateOptions {
  readonly provider: Pick<Provider, 'name' | 'paid'>
  readonly cacheDir: string
  /** When given, finished clips and unfinished predictions of earlier runs there count too. */
  readonly runDir?: string
  /** Ignore finished clips: for every shot, or only for the `only` shots. Default false. */
  readonly force?: boolean
  /** Render just these shots; the others are only taken from finished clips. */
  readonly only?: readonly string[]
}

/** What the run would do with one take of a shot. */
export interface TakeEstimate {
  readonly take: number
  /**
   * `submit`: a new prediction; `recover`: a prediction may exist from a crashed run (counted as a submission,
   * the worst case); `reattach`: already paid, only waited for; `redownload`: a finished prediction's clip went
   * bad and is fetched again (free); `reuse`: a finished clip; `refuse`: failed for good before with these
   * inputs; `skip`: not selected.
   */
  readonly action: ShotDecision['action']
  /** USD this run may spend on the take's first attempt: 0 unless it submits, and always 0 for a free provider. */
  readonly cost: number
  readonly reason?: string
}

export interface ShotEstimate {
  readonly shot: string
  readonly model: string
  /** The picked take's action: what the shots chained after this one wait for. */
  readonly action: ShotDecision['action']
  /** USD this run may spend on the first attempts of the shot's takes. */
  readonly cost: number
  readonly reason?: string
  /** Every take, in order. */
  readonly takes: readonly TakeEstimate[]
}

export interface RunEstimate {
  readonly shots: readonly ShotEstimate[]
  /** USD for every first attempt that will be submitted (retries come on top); 0 for a free provider. */
  readonly cost: number
  /** Number of predictions to create (every take counts), not counting retries. */
  readonly submissions: number
}

/** What one attempt at `shot` costs with `provider`: the catalog price, or nothing for a free provider. */
export function priceOf(shot: PlannedShot, provider: Pick<Provider, 'paid'>): number {
  return provider.paid ? shot.cost : 0
}

export interface DecideSetup {
  readonly provider: Pick<Provider, 'name'>
  readonly layout: RunLayout
  readonly cache: ClipCache
  readonly force?: boolean
  readonly only?: readonly string[]
}

/** Context shared by the estimate and the run, so both decide every shot the same way (and check each clip once). */
export function decideContext(
  plan: Plan,
  setup: DecideSetup,
  histories: DecideContext['histories'],
): DecideContext {
  const only = setup.only ? new Set(setup.only) : undefined
  for (const id of only ?? []) {
    if (!plan.shots.some((s) => s.id === id)) {
      throw schedulerError(
        'SCHED_INVALID_OPTION',
        `\`only\` names shot "${id}", which the storyboard does not have. Shots: ${plan.shots.map((s) => s.id).join(', ')}.`,
        { option: 'only', value: id },
      )
    }
  }
  const selected = (id: string) => !only || only.has(id)
  const checked = new Map<string, Promise<boolean>>()
  // A clip was verified (decoded whole) when it entered the run directory or the cache; from then on
  // its bytes must still be the ones recorded then (the journal's or the cache entry's sha256).
  const check = async (file: string, sha256: string) =>
    (await sha256File(file).catch(() => undefined)) === sha256
  return {
    providerName: setup.provider.name,
    layout: setup.layout,
    cache: setup.cache,
    histories,
    images: createImageHasher(),
    trusted: (file, sha256) => {
      const memo = `${file}\0${sha256}`
      let verdict = checked.get(memo)
      if (!verdict) {
        verdict = check(file, sha256)
        checked.set(memo, verdict)
      }
      return verdict
    },
    selected,
    forced: (id) => setup.force === true && selected(id),
  }
}

/**
 * What a run would do, before it submits anything: which shots it would submit
 * (cached and finished shots excluded) and what that costs.
 * A shot chained after one that must render is counted as a submission, since its key
 * depends on a clip that does not exist yet.
 */
export async function estimateRun(plan: Plan, options: EstimateOptions): Promise<RunEstimate> {
  const store = openFileRunStore(options.runDir ?? '.')
  const histories = options.runDir ? replayJournal(await store.readJournal()) : new Map()
  const setup = { ...options, layout: store.layout, cache: openClipCache(options.cacheDir) }
  return estimateWith(plan, decideContext(plan, setup, histories), options.provider)
}

const pays = (action: ShotDecision['action']) => action === 'submit' || action === 'recover'

export async function estimateWith(
  plan: Plan,
  ctx: DecideContext,
  provider: Pick<Provider, 'paid'>,
): Promise<RunEstimate> {
  dependentsOf(plan)
  /** Each shot's picked take's decision: what the shots chained after it start from. */
  const picked = new Map<string, ShotDecision>()
  const shots: ShotEstimate[] = []
  // Plan order puts every upstream shot first, so its picked decision is known when a shot needs it.
  for (const shot of plan.shots) {
    const upstream = (id: string) => {
      const d = picked.get(id)
      return d?.action === 'reuse' ? d.sha256 : undefined
    }
    const blocked = shot.dependsOn.find((dep) => ['skip', 'refuse'].includes(picked.get(dep)!.action))
    const takes: TakeEstimate[] = []
    for (let take = 1; take <= shot.takes; take++) {
      const d: ShotDecision = blocked
        ? { action: 'skip', reason: `needs "${blocked}", which will not be rendered` }
        : await decideShot(shot, take, upstream, ctx)
      if (take === shot.pick) picked.set(shot.id, d)
      takes.push({
        take,
        action: d.action,
        cost: pays(d.action) ? priceOf(shot, provider) : 0,
        ...(d.action === 'skip' ? { reason: d.reason } : {}),
      })
    }
    const mine = takes[shot.pick - 1]!
    shots.push({
      shot: shot.id,
      model: shot.model.id,
      action: mine.action,
      cost: sumUsd(takes.map((t) => t.cost)),
      ...(mine.reason ? { reason: mine.reason } : {}),
      takes,
    })
  }
  return {
    shots,
    cost: sumUsd(shots.map((s) => s.cost)),
    submissions: shots.reduce((n, s) => n + s.takes.filter((t) => pays(t.action)).length, 0),
  }
}
