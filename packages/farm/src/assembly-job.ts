import { access } from 'node:fs/promises'
import type { Plan } from '@storyreel/core'
import {
  type ClipHooks,
  type FailedOutcome,
  ledgerOf,
  type RunLayout,
  type RunResult,
  type SchedulerEvent,
  sumUsd,
} from '@storyreel/scheduler'
import type { FarmContext } from './farm-context.ts'
import { keys } from './keys.ts'
import { loadOutcomes, loadTakes } from './outcomes.ts'
import { openRedisRunStore } from './redis-run-store.ts'
import { publish, readEvents } from './run-events.ts'
import { localRunPlan } from './run-files.ts'
import { loadRun, type RunFinished, type RunMeta, setStatus } from './run-record.ts'

/** Everything a local render hands its finishing step, rebuilt from Redis for the worker that assembles. */
export interface AssemblyInput {
  readonly meta: RunMeta
  readonly plan: Plan
  readonly layout: RunLayout
  readonly result: RunResult
  /** Every scheduler event of the run, from every worker, in order. */
  readonly events: readonly SchedulerEvent[]
  /** The run was canceled (`storyreel cancel`): its records say so, as a local Ctrl-C's do (`interrupted`, no reel). */
  readonly canceled: boolean
  readonly signal: AbortSignal
}

/** Stitches the reel and writes the run's records (the CLI passes its own finishing step); paths are local. */
export type AssembleHook = (input: AssemblyInput) => Promise<{
  readonly status: RunFinished['status']
  readonly reel?: string
  readonly manifest: string
  readonly report: string
}>

/** The run's result as `runPlan` would return it: outcomes in storyboard order, the ledger, spend, image hashes. */
export async function runResultOf(farm: FarmContext, meta: RunMeta, layout: RunLayout): Promise<RunResult> {
  const outcomes = await loadOutcomes(farm.redis, meta.id, layout)
  const shots = meta.plan.shots.map((s) => outcomes.get(s.id) ?? { shot: s.id, status: 'aborted' as const })
  const takes = await loadTakes(
    farm.redis,
    meta.id,
    layout,
    meta.plan.shots.map((s) => s.id),
  )
  const ledger = ledgerOf(await openRedisRunStore(farm.redis, farm.store!, meta.id).readJournal())
  const images = await farm.redis.hgetall(keys.images(meta.id))
  const failures = takes.filter((o) => o.status === 'failed') as FailedOutcome[]
  return {
    shots,
    takes,
    failures,
    ok: failures.length === 0 && shots.every((o) => o.status === 'done' || o.status === 'cached'),
    ledger,
    spent: sumUsd(ledger.filter((e) => !e.refunded).map((e) => e.price)),
    estimate: meta.estimate,
    images: new Map(
      Object.entries(images).map(([name, sha]) => [
        name.startsWith('/') ? name : farm.store!.pathOf(name),
        sha,
      ]),
    ),
  }
}

/** The last job of a run: every shot has an outcome; assemble, record where things are, tell the followers. */
export async function runAssemblyJob(
  farm: FarmContext,
  runId: string,
  assemble: AssembleHook,
  extractFrames: ClipHooks['extractFrames'],
  signal: AbortSignal,
  confirm: () => Promise<void> = async () => {},
): Promise<RunFinished> {
  const loaded = await loadRun(farm.redis, runId)
  const { status, finished: already } = loaded
  if (already) return already
  // The soundtrack (and the images the manifest describes) as this machine reads them: in the store.
  const meta = { ...loaded.meta, plan: await localRunPlan(farm.redis, farm.store!, loaded.meta.plan) }
  const layout = farm.store!.runLayout(runId)
  // A run canceled before any shot started has no directory in the store yet.
  await openRedisRunStore(farm.redis, farm.store!, runId).prepare()
  // A canceled run stays canceled (a retried assembly job must still see it).
  if (status !== 'canceled') await setStatus(farm.redis, runId, 'assembling')
  const result = await runResultOf(farm, meta, layout)
  await fillMissingFrames(result, extractFrames, signal)
  const events = (await readEvents(farm.redis, runId)).flatMap((e) => (e.kind === 'shot' ? [e.event] : []))
  const canceled = status === 'canceled'
  const made = await assemble({ meta, plan: meta.plan, layout, result, events, signal, canceled })
  // A worker that lost the job while stitching must not announce the run's end: its new holder does, once.
  await confirm()
  const name = (path: string) => farm.store!.nameOf(path) ?? path
  const finished: RunFinished = {
    status: made.status,
    ...(made.reel ? { reel: name(made.reel) } : {}),
    manifest: name(made.manifest),
    report: name(made.report),
  }
  await setStatus(
    farm.redis,
    runId,
    canceled ? 'canceled' : made.status === 'completed' ? 'completed' : 'failed',
    finished,
  )
  // A canceled run's end was announced by the cancel; `status` shows where its records are.
  if (!canceled) await publish(farm.redis, runId, { kind: 'end', status: made.status, finished })
  return finished
}

/** Frames a worker extracts in the background are lost when it dies: make the missing ones now. */
async function fillMissingFrames(
  result: RunResult,
  extractFrames: ClipHooks['extractFrames'],
  signal: AbortSignal,
): Promise<void> {
  const exists = (path: string) =>
    access(path).then(
      () => true,
      () => false,
    )
  for (const o of result.takes) {
    if (o.status !== 'done' && o.status !== 'cached') continue
    const missing = {
      ...((await exists(o.frames.first)) ? {} : { first: o.frames.first }),
      ...((await exists(o.frames.last)) ? {} : { last: o.frames.last }),
    }
    if (missing.first || missing.last) await extractFrames(o.clip, missing, { signal })
  }
}
