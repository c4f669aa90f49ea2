import { randomBytes } from 'node:crypto'
import { type Plan, type Provider, remainingPathSeconds } from '@storyreel/core'
import {
  decideContext,
  estimateWith,
  type JournalSummary,
  readJournal,
  type RunEstimate,
  type ShotOutcome,
} from '@storyreel/scheduler'
import { Queue } from 'bullmq'
import { type ConnectionOptions, connectRedis } from './connection.ts'
import {
  type AssemblyJobData,
  enqueueAssembly,
  enqueueShot,
  type FarmContext,
  type ShotJobData,
} from './farm-context.ts'
import { keyLimit as sharedKeyLimit } from './key-limit.ts'
import { ASSEMBLY_QUEUE, keys, QUEUE_PREFIX, SHOT_QUEUE } from './keys.ts'
import { openRedisClipCache } from './redis-clip-cache.ts'
import { openRedisRunStore } from './redis-run-store.ts'
import { type FarmEvent, followEvents, publish } from './run-events.ts'
import { shareRunFiles } from './run-files.ts'
import { loadRun, type RunFinished, type RunMeta, type RunStatus, saveRun, setStatus } from './run-record.ts'
import { reserveBudget } from './shared-budget.ts'
import { openFsStore, type Store } from './store.ts'

export interface SubmitOptions {
  readonly provider: Pick<Provider, 'name' | 'paid'>
  readonly estimate: RunEstimate
  readonly maxCost?: number
  readonly retries?: number
  readonly force?: boolean
  readonly only?: readonly string[]
  /** Sets the key's limit for the whole farm (else the one in Redis stays, 4 when none). */
  readonly keyConcurrency?: number
}

export interface RunState {
  readonly meta: RunMeta
  readonly status: RunStatus
  readonly finished?: RunFinished
  readonly journal: JournalSummary
}

/** What `render --queue`, `status` and `cancel` do with the farm: no worker runs here. */
export interface FarmClient {
  /** What the run would submit: the shared cache counts (a storyboard rendered before on any machine costs nothing). */
  estimate(
    plan: Plan,
    options: {
      readonly provider: Pick<Provider, 'name' | 'paid'>
      readonly force?: boolean
      readonly only?: readonly string[]
    },
  ): Promise<RunEstimate>
  /** Enqueues the run (its chain heads first; each later shot once its upstream has a clip) and returns its id. */
  submit(plan: Plan, options: SubmitOptions): Promise<string>
  /** Calls `onEvent` with every event of the run until its end (returned) or until `signal` aborts. */
  follow(
    runId: string,
    onEvent: (event: FarmEvent) => void,
    signal?: AbortSignal,
  ): Promise<Extract<FarmEvent, { kind: 'end' }> | undefined>
  state(runId: string): Promise<RunState>
  /** Each shot's outcome in storyboard order (a shot without one yet is `aborted`); paths relative to the run directory. */
  outcomes(runId: string): Promise<ShotOutcome[]>
  /**
   * Stops the run: queued shots are dropped, shots whose predictions are in flight finish into the cache;
   * then a worker writes the run's manifest and report (status `interrupted`, no reel), as a local Ctrl-C does.
   */
  cancel(runId: string): Promise<{ readonly dropped: number; readonly inFlight: number }>
  close(): Promise<void>
}

export function openFarmClient(
  redisUrl: string,
  options: ConnectionOptions & { readonly store?: string } = {},
): FarmClient {
  const redis = connectRedis(redisUrl, options)
  const connection = { connection: redis, prefix: QUEUE_PREFIX }
  const store: Store | undefined = options.store ? openFsStore(options.store) : undefined
  const farm: FarmContext = {
    redis,
    shots: new Queue<ShotJobData>(SHOT_QUEUE, connection),
    assembly: new Queue<AssemblyJobData>(ASSEMBLY_QUEUE, connection),
    keyLimit: sharedKeyLimit(redis),
    ...(store ? { store } : {}),
    secrets: [],
  }
  // Their connection's errors repeat what the one-line Redis notice already said.
  for (const queue of [farm.shots, farm.assembly]) queue.on('error', () => {})
  // Only names are read from this store's layout (the journal has no paths worth resolving here).
  const layoutStore = store ?? openFsStore('/nonexistent-storyreel-store')
  return {
    async estimate(plan, o) {
      const cache = openRedisClipCache(redis, store)
      const ctx = decideContext(
        plan,
        {
          provider: o.provider,
          layout: layoutStore.runLayout('estimate'),
          cache,
          ...(o.force ? { force: true } : {}),
          ...(o.only ? { only: o.only } : {}),
        },
        new Map(),
      )
      // Without the store the index is trusted as is; the worker checks the bytes before reusing.
      return estimateWith(plan, store ? ctx : { ...ctx, trusted: async () => true }, o.provider)
    },
    async submit(plan, o) {
      const id = `${slug(plan.title)}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
      if (o.keyConcurrency !== undefined) await farm.keyLimit.configure(o.keyConcurrency)
      else await farm.keyLimit.ensure(4)
      const limit = await farm.keyLimit.current()
      const meta: RunMeta = {
        id,
        // Workers on other machines cannot read this one's files: they travel with the run, by content.
        plan: await shareRunFiles(redis, plan),
        provider: o.provider.name,
        paid: o.provider.paid,
        ...(o.maxCost === undefined ? {} : { maxCost: o.maxCost }),
        retries: o.retries ?? 1,
        force: o.force === true,
        ...(o.only ? { only: o.only } : {}),
        estimate: o.estimate,
        createdAt: Date.now(),
        keyConcurrency: limit?.max ?? 4,
      }
      await saveRun(redis, meta)
      await reserveBudget(
        redis,
        id,
        o.estimate.shots.flatMap((s) =>
          s.takes
            .filter((t) => t.action === 'submit' || t.action === 'recover')
            .map((t) => ({ shot: s.shot, take: t.take, usd: t.cost })),
        ),
      )
      const remaining = remainingPathSeconds(plan)
      for (const shot of plan.shots)
        if (shot.dependsOn.length === 0) await enqueueShot(farm, meta, shot.id, remaining)
      return id
    },
    follow: (runId, onEvent, signal) => followEvents(redis, runId, onEvent, signal),
    async state(runId) {
      const run = await loadRun(redis, runId)
      return { ...run, journal: await readJournal(openRedisRunStore(redis, layoutStore, runId)) }
    },
    async outcomes(runId) {
      const { meta } = await loadRun(redis, runId)
      const raw = await redis.hgetall(keys.outcomes(runId))
      return meta.plan.shots.map((s) =>
        raw[s.id] ? (JSON.parse(raw[s.id]!) as ShotOutcome) : { shot: s.id, status: 'aborted' as const },
      )
    },
    async cancel(runId) {
      const run = await loadRun(redis, runId)
      if (run.finished || run.status === 'canceled') return { dropped: 0, inFlight: 0 }
      await setStatus(redis, runId, 'canceled')
      let dropped = 0
      const inFlight = new Set<string>()
      for (const job of await farm.shots.getJobs(['active', 'waiting', 'prioritized', 'delayed'])) {
        if (job?.data.runId !== runId) continue
        // A job a worker holds (or took in the meantime: it is locked) finishes; its prediction is paid for.
        if (await job.isActive()) inFlight.add(job.data.shot)
        else
          await job.remove().then(
            () => dropped++,
            () => inFlight.add(job.data.shot),
          )
      }
      // Every other shot ends here, as a local Ctrl-C leaves it (the first word counts: a shot that
      // settled meanwhile keeps its own). Once the shots in flight settle too, the run's records are
      // written by the assembly job, which sees the run was canceled: no reel, the manifest and report.
      for (const shot of run.meta.plan.shots)
        if (!inFlight.has(shot.id))
          await redis.hsetnx(
            keys.outcomes(runId),
            shot.id,
            JSON.stringify({ shot: shot.id, status: 'aborted' } satisfies ShotOutcome),
          )
      await publish(redis, runId, { kind: 'end', status: 'canceled' })
      if ((await redis.hlen(keys.outcomes(runId))) === run.meta.plan.shots.length)
        await enqueueAssembly(farm, runId)
      return { dropped, inFlight: inFlight.size }
    },
    async close() {
      await Promise.all([farm.shots.close(), farm.assembly.close()])
      redis.disconnect()
    },
  }
}

function slug(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 24) || 'run'
  )
}
