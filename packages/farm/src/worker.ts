import type { Provider } from '@storyreel/core'
import { createTaskPool } from '@storyreel/scheduler'
import { Queue } from 'bullmq'
import { assemblyProcessor } from './assembly-processor.ts'
import { connectRedis } from './connection.ts'
import type { AssemblyJobData, FarmContext, ShotJobData } from './farm-context.ts'
import { jobLeases } from './job-lease.ts'
import { keyLimit as sharedKeyLimit, RATE_LIMIT_QUIET_MS } from './key-limit.ts'
import { ASSEMBLY_QUEUE, QUEUE_PREFIX, SHOT_QUEUE } from './keys.ts'
import type { ProcessorContext } from './processor-context.ts'
import { runViews } from './run-view.ts'
import { shotProcessor } from './shot-processor.ts'
import { StoppableWorker } from './stoppable-worker.ts'
import type { WorkerLog, WorkerOptions } from './worker-options.ts'

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
  const context: ProcessorContext = { farm, options, log, leases, stopping: stopping.signal }
  const shotJob = shotProcessor(context, { views, providerFor, background })
  const assemblyJob = assemblyProcessor(context)

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
