export type { CacheKeyInput, ImageIdentity } from './cache-key.ts'
export { cacheKey } from './cache-key.ts'
export type { CachedClip, ClipCache, ClipCacheOptions } from './clip-cache.ts'
export { openClipCache } from './clip-cache.ts'
export type { SchedulerErrorCode, SchedulerErrorFields, SchedulerErrorOf, ShotFailureCode } from './errors.ts'
export { isSchedulerError, SchedulerError, schedulerError } from './errors.ts'
export type { EstimateOptions, RunEstimate, ShotEstimate, TakeEstimate } from './estimate.ts'
export { estimateRun, priceOf } from './estimate.ts'
export type { SchedulerEvent, SchedulerEventType, ShotTimings } from './events.ts'
export type { FileRunStoreOptions } from './file-run-store.ts'
export { openFileRunStore } from './file-run-store.ts'
export { sha256File } from './hash.ts'
export type { JournalRecord, JournalRequest } from './journal-records.ts'
export { parseJournal } from './journal-records.ts'
export type { AttemptHistory, JournaledClip, LedgerEntry, ShotHistory } from './journal-replay.ts'
export { ledgerOf, ledgerSpend, replayJournal } from './journal-replay.ts'
export type { JournalSummary, ShotJournalState, ShotJournalStatus, StoredClip } from './journal-summary.ts'
export { readJournal } from './journal-summary.ts'
export { redact } from './redact.ts'
export type { ClipPaths, RunLayout } from './run-layout.ts'
export { JOURNAL_FILE, runLayout } from './run-layout.ts'
export { runPlan } from './run-plan.ts'
export type { RunJournal, RunLock, RunStore } from './run-store.ts'
export type {
  ClipHooks,
  FailedOutcome,
  FinishedClip,
  LandedClip,
  RunOptions,
  RunResult,
  ShotOutcome,
  TakeOutcome,
} from './run-types.ts'
export type { StaleOptions, StaleReason, StaleReport, StaleShot } from './stale-shots.ts'
export { staleShots } from './stale-shots.ts'
export type { TaskPool } from './task-pool.ts'
export { createTaskPool } from './task-pool.ts'
export { sumUsd } from './usd.ts'
// The parts a farm worker takes one shot through, outside the local run loop.
export type { Budget, BudgetCheck, RenderBudget } from './budget.ts'
export type { DecideContext, RenderDecision, ShotDecision } from './decide-shot.ts'
export { decideShot, renderRequestOf } from './decide-shot.ts'
export type { DecideSetup } from './estimate.ts'
export { decideContext, estimateWith } from './estimate.ts'
export { linkOrCopy } from './link-or-copy.ts'
export type { EmitInput, RenderContext, TakeUnit } from './render-context.ts'
export { aboutTake } from './render-context.ts'
export type { RenderOutcome, RenderShotOptions } from './render-shot.ts'
export { renderShot } from './render-shot.ts'
