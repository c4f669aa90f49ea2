import type { Provider } from '@storyreel/core'
import { type ClipHooks, createTaskPool } from '@storyreel/scheduler'
import { type Job, Queue, WaitingError } from 'bullmq'
import { type AssembleHook, runAssemblyJob } from './assembly-job.ts'
import { connectRedis } from './connection.ts'
import type { AssemblyJobData, FarmContext, ShotJobData } from './farm-context.ts'
import { type JobLease, jobLeases } from './job-lease.ts'
import { keyLimit as sharedKeyLimit, RATE_LIMIT_QUIET_MS } from './key-limit.ts'
import { ASSEMBLY_QUEUE, QUEUE_PREFIX, SHOT_QUEUE } from './keys.ts'
import { publish } from './run-events.ts'
import { setStatus } from './run-record.ts'
import { runViews } from './run-view.ts'
import { failShotJob, runShotJob } from './shot-job.ts'
import { StoppableWorker } from './stoppable-worker.ts'
import type { Store } from './store.ts'

/** One line of the worker's log: a job's state, or the worker's own. */
export interface WorkerLog {
  readonly at: number
  readonly state:
    | 'ready'
    | 'started'
    | 'done'
    | 'cached'
    | 'failed'
    | 'skipped'
    | 'aborted'
    | 'handed-back'
    | 'lock-lost'
    | 'assembled'
    | 'redis-down'
    | 'redis-up'
    | 'stopping'
    | 'stopped'
  readonly run?: string
  readonly shot?: string
  readonly predictionId?: string
  readonly message: string
}

export interface WorkerOptions {
  readonly redisUrl: string
  readonly store: Store
  /** Jobs this worker holds at once; the key's limit across all workers caps shots further. */
  readonly concurrency: number
  /** Sets the key's limit for the whole farm; otherwise the one already in Redis (4 when none). */
  readonly keyConcurrency?: number
  /** Opens the provider a run names, from this worker's own environment. */
  readonly provider: (name: string) => Promise<Provider>
  readonly hooks: Pick<ClipHooks, 'extractFrames' | 'verifyClip'>
  readonly assemble: AssembleHook
  /** This worker's API key (and any other secret): never written to Redis, the store or a job. */
  readonly secrets: readonly string[]
  readonly log: (line: WorkerLog) => void
  /** A job whose worker stops renewing its lock is taken over after about this long. Default 30 000 ms. */
  readonly lockMs?: number
  readonly rateLimitQuietMs?: number
}

export interface FarmWorker {
  /** Stops taking jobs, hands back what it holds (with their prediction ids), closes its connections. */
  stop(): Promise<void>
}

export async function startWorker(options: WorkerOptions): Promise<FarmWorker> {
  const log = (line: Omit<WorkerLog, 'at'>) => options.log({ at: Date.now(), ...line })
  const redis = connectRedis(options.redisUrl, {
    onDown: (message) => log({ state: 'redis-down', message }),
    onUp: (message) => log({ state: 'redis-up', message }),
  })
  await options.store.prepare()
  const connection = { connection: redis, prefix: QUEUE_PREFIX }
  const keyLimit = sharedKeyLimit(redis, options.rateLimitQuietMs ?? RATE_LIMIT_QUIET_MS)
  const farm: FarmContext = {
    redis,
    store: options.store,
    shots: new Queue<ShotJobData>(SHOT_QUEUE, connection),
    assembly: new Queue<AssemblyJobData>(ASSEMBLY_QUEUE, connection),
    keyLimit,
    secrets: options.secrets,
  }
  if (options.keyConcurrency !== undefined) await keyLimit.configure(options.keyConcurrency)
  else await keyLimit.ensure(4)
  const views = runViews(redis, options.store)
  const stopping = new AbortController()
  const providers = new Map<string, Promise<Provider>>()
  const providerFor = (name: string) => {
    let provider = providers.get(name)
    if (!provider) {
      provider = options.provider(name)
      provider.catch(() => providers.delete(name))
      providers.set(name, provider)
    }
    return provider
  }

  // Two at a time, as the local scheduler's background frames: enough to keep up, CPU left for the frames chains wait on.
  const pool = createTaskPool(2)
  const pending = new Set<Promise<void>>()
  const background = (work: () => Promise<void>) => {
    const task = pool.run(work).catch(() => {})
    pending.add(task)
    void task.finally(() => pending.delete(task))
  }

  const lockDuration = options.lockMs ?? 30_000
  const leases = jobLeases(stopping.signal, lockDuration)
  // The job's lock is gone: another worker has (or will have) the job; this one writes nothing more for it.
  const lockLost = (runId: string, what: string, shot?: string): never => {
    log({
      state: 'lock-lost',
      run: runId,
      ...(shot ? { shot } : {}),
      message: `${what} of run ${runId}: lock lost (not renewed in time), stopped; another worker takes it over`,
    })
    throw new WaitingError()
  }

  const shotJob = async (job: Job<ShotJobData>, token?: string) => {
    const lease = leases.open(SHOT_QUEUE, job, token)
    try {
      await runShot(job, token, lease)
    } catch (error) {
      if (lease.lost()) lockLost(job.data.runId, `shot ${job.data.shot}`, job.data.shot)
      throw error
    } finally {
      lease.close()
    }
  }
  const runShot = async (job: Job<ShotJobData>, token: string | undefined, lease: JobLease) => {
    const { runId, shot } = job.data
    const run = await views(runId)
    log({ state: 'started', run: runId, shot, message: `shot ${shot} of run ${runId}: started` })
    const provider = await providerFor(run.meta.provider).catch((error: unknown) => error as Error)
    const end =
      provider instanceof Error
        ? await failShotJob(farm, run, shot, provider)
        : await runShotJob(run, shot, {
            farm,
            provider,
            hooks: options.hooks,
            signal: lease.signal,
            confirm: () => lease.confirm(),
            queuedAt: job.timestamp,
            background,
          })
    if ('handedBack' in end) {
      if (lease.lost()) lockLost(runId, `shot ${shot}`, shot)
      const id = end.predictionId ? { predictionId: end.predictionId } : {}
      await job.updateData({ ...job.data, ...id })
      await job.moveToWait(token)
      log({
        state: 'handed-back',
        run: runId,
        shot,
        ...id,
        message: `shot ${shot} of run ${runId}: handed back${end.predictionId ? ` with prediction ${end.predictionId} (the next worker waits for it, nothing is submitted again)` : ''}`,
      })
      throw new WaitingError()
    }
    const o = end.settled
    const detail =
      o.status === 'failed'
        ? `: ${o.message}`
        : o.status === 'skipped'
          ? `: ${o.reason}`
          : 'predictionId' in o && o.predictionId
            ? ` (prediction ${o.predictionId})`
            : ''
    log({
      state: o.status,
      run: runId,
      shot,
      ...('predictionId' in o && o.predictionId ? { predictionId: o.predictionId } : {}),
      message: `shot ${shot} of run ${runId}: ${o.status}${detail}`,
    })
  }
  const assemblyJob = async (job: Job<AssemblyJobData>, token?: string) => {
    const lease = leases.open(ASSEMBLY_QUEUE, job, token)
    try {
      await assembleRun(job, token, lease)
    } finally {
      lease.close()
    }
  }
  const assembleRun = async (job: Job<AssemblyJobData>, token: string | undefined, lease: JobLease) => {
    const { runId } = job.data
    log({ state: 'started', run: runId, message: `run ${runId}: assembling the reel` })
    try {
      const finished = await runAssemblyJob(
        farm,
        runId,
        options.assemble,
        options.hooks.extractFrames,
        lease.signal,
        () => lease.confirm(),
      )
      log({
        state: 'assembled',
        run: runId,
        message: `run ${runId}: ${finished.status}${finished.reel ? `, reel ${finished.reel}` : ''}`,
      })
    } catch (error) {
      if (lease.lost()) lockLost(runId, 'assembly')
      if (!stopping.signal.aborted) {
        // The followers must hear the run ended, or they would wait forever.
        const message = error instanceof Error ? error.message : String(error)
        await setStatus(redis, runId, 'failed')
        await publish(redis, runId, { kind: 'end', status: 'failed', message })
        log({ state: 'failed', run: runId, message: `run ${runId}: assembly failed: ${message}` })
        throw error
      }
      await job.moveToWait(token)
      log({ state: 'handed-back', run: runId, message: `run ${runId}: assembly handed back` })
      throw new WaitingError()
    }
  }

  // A job is "stalled" when its worker stops renewing the lock (killed): BullMQ gives it to another
  // worker, which re-attaches to the prediction in the journal. That can happen any number of times.
  const settings = {
    ...connection,
    lockDuration,
    stalledInterval: Math.max(500, Math.round(lockDuration / 2)),
    maxStalledCount: 1_000_000,
  }
  const workers = [
    new StoppableWorker<ShotJobData>(SHOT_QUEUE, shotJob, { ...settings, concurrency: options.concurrency }),
    new StoppableWorker<AssemblyJobData>(ASSEMBLY_QUEUE, assemblyJob, { ...settings, concurrency: 1 }),
  ]
  // Errors of BullMQ's own connections repeat what the one-line Redis notice already said.
  for (const worker of workers) worker.on('error', () => {})
  for (const worker of workers)
    worker.on('lockRenewalFailed', (jobIds: string[]) => leases.renewalFailed(worker.name, jobIds))
  for (const queue of [farm.shots, farm.assembly]) queue.on('error', () => {})
  const recovery = setInterval(() => void keyLimit.recover().catch(() => {}), 1_000)
  log({
    state: 'ready',
    message: `worker ready: ${options.concurrency} job(s) at once, store ${options.store.description}`,
  })

  return {
    async stop() {
      log({ state: 'stopping', message: 'stopping: taking no new jobs, handing back the ones held' })
      clearInterval(recovery)
      await Promise.all(workers.map((w) => w.pause(true)))
      const closing = workers.map((w) => w.close())
      stopping.abort(new Error('worker stopping'))
      await Promise.all(closing)
      await Promise.all(pending)
      await Promise.all([farm.shots.close(), farm.assembly.close()])
      redis.disconnect()
      log({ state: 'stopped', message: 'stopped' })
    },
  }
}
