import { dirname } from 'node:path'
import type { Plan, PlannedShot } from '@storyreel/core'
import type { LedgerEntry as SchedulerLedgerEntry, RunLayout } from '@storyreel/scheduler'
import { describeImage, type ImageFacts } from './describe-image.ts'
import {
  type LedgerEntry,
  type Manifest,
  MANIFEST_VERSION,
  type ManifestShot,
  type ManifestTake,
  type RunStatus,
} from './manifest.ts'
import type { RunState, ShotRecord, TakeRecord } from './run-state.ts'
import { STORYREEL_VERSION } from './version.ts'

export interface ManifestInput {
  readonly plan: Plan
  readonly run: RunState
  readonly layout: RunLayout
  readonly provider: string
  readonly status: RunStatus
  readonly finishedAt: number
  /** sha256 of the images the run sent, by path (`RunResult.images`). */
  readonly images: ReadonlyMap<string, string>
  readonly reel?: Manifest['reel']
  readonly contactSheet?: string
  /** The scheduler's ledger (every prediction the run directory ever created); default: this run's attempts. */
  readonly ledger?: readonly SchedulerLedgerEntry[]
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString())

export function buildManifest(input: ManifestInput): Manifest {
  const { plan, run } = input
  const facts: ImageFacts = { storyboardDir: dirname(plan.file), layout: input.layout, images: input.images }
  const shots: ManifestShot[] = []
  for (const planned of plan.shots) {
    const record = run.shots.find((s) => s.id === planned.id)
    if (record) shots.push(manifestShot(planned, record, facts))
  }
  const count = (state: string) => run.shots.filter((s) => s.state === state).length
  return {
    manifestVersion: MANIFEST_VERSION,
    storyreelVersion: STORYREEL_VERSION,
    storyboard: { path: plan.file, sha256: plan.hash, title: plan.title },
    provider: input.provider,
    status: input.status,
    createdAt: new Date(run.startedAt).toISOString(),
    finishedAt: new Date(input.finishedAt).toISOString(),
    concurrency: run.concurrency,
    ...(input.reel ? { reel: input.reel } : {}),
    ...(input.contactSheet ? { contactSheet: input.contactSheet } : {}),
    shots,
    totals: {
      shots: run.shots.length,
      rendered: count('done'),
      cached: count('cached'),
      failed: count('failed'),
      skipped: count('skipped'),
      estimatedCost: round(run.estimate),
      cost: round(run.spent),
      videoSeconds: run.shots.reduce((sum, s) => sum + s.duration, 0),
      wallMs: input.finishedAt - run.startedAt,
    },
    ledger: input.ledger
      ? input.ledger.map((e) => ({
          predictionId: e.predictionId,
          shot: e.shot,
          take: e.take,
          model: e.model,
          cost: e.refunded ? 0 : e.price,
          createdAt: new Date(e.at).toISOString(),
          ...(e.refunded ? { refunded: true } : {}),
        }))
      : ledgerOf(run),
  }
}

function manifestShot(planned: PlannedShot, record: ShotRecord, facts: ImageFacts): ManifestShot {
  const image = describeImage(planned.start, facts)
  const end = planned.end ? describeImage(planned.end, facts) : undefined
  const endField = planned.model.endFrameField ?? 'end_image'
  const finished = record.state === 'done' || record.state === 'cached'
  const { layout } = facts
  return {
    id: planned.id,
    index: planned.index,
    model: planned.model.id,
    ...(record.cacheKey ? { cacheKey: record.cacheKey } : {}),
    status: record.state,
    params: { ...planned.params, ...(image ? { image } : {}), ...(end ? { [endField]: end } : {}) },
    dependsOn: planned.dependsOn,
    attempts: record.attempts.map((a) => ({
      predictionId: a.predictionId,
      submittedAt: iso(a.submittedAt),
      startedAt: iso(a.startedAt),
      completedAt: iso(a.completedAt),
      inferenceMs: a.inferenceMs,
      cost: a.cost,
      error: a.error,
    })),
    timings: {
      queuedAt: iso(record.queuedAt),
      submittedAt: iso(record.submittedAt),
      startedAt: iso(record.startedAt),
      completedAt: iso(record.completedAt),
      inferenceMs: record.inferenceMs,
    },
    cost: round(record.spent),
    ...(finished && record.clip
      ? { clip: { file: layout.relative(record.clip), sha256: record.sha256 } }
      : {}),
    ...(finished && record.frames
      ? { frames: { first: layout.relative(record.frames.first), last: layout.relative(record.frames.last) } }
      : {}),
    ...(record.error ? { error: record.error } : {}),
    pick: record.pick,
    ...(record.takes ? { takes: record.takes.map((t) => manifestTake(t, layout)) } : {}),
  }
}

function manifestTake(take: TakeRecord, layout: RunLayout): ManifestTake {
  return {
    take: take.take,
    ...(take.predictionId ? { predictionId: take.predictionId } : {}),
    ...(take.clip
      ? { clip: { file: layout.relative(take.clip), ...(take.sha256 ? { sha256: take.sha256 } : {}) } }
      : {}),
    ...(take.frames
      ? { frames: { first: layout.relative(take.frames.first), last: layout.relative(take.frames.last) } }
      : {}),
    cost: round(take.cost),
    status: take.status,
    picked: take.picked,
    ...(take.error ? { error: take.error } : {}),
  }
}

function ledgerOf(run: RunState): LedgerEntry[] {
  const entries: LedgerEntry[] = []
  for (const shot of run.shots) {
    for (const attempt of shot.attempts) {
      if (!attempt.predictionId) continue
      entries.push({
        predictionId: attempt.predictionId,
        shot: shot.id,
        model: shot.model,
        cost: attempt.cost,
        createdAt: iso(attempt.submittedAt),
      })
    }
  }
  return entries.sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''))
}

const round = (usd: number) => Math.round(usd * 100) / 100
