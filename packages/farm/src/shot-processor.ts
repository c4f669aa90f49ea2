import type { Provider } from '@storyreel/core'
import { type Job, WaitingError } from 'bullmq'
import type { ShotJobData } from './farm-context.ts'
import type { JobLease } from './job-lease.ts'
import { SHOT_QUEUE } from './keys.ts'
import { lockLost, type ProcessorContext } from './processor-context.ts'
import type { RunView } from './run-view.ts'
import { failShotJob, runShotJob } from './shot-job.ts'

export interface ShotProcessorNeeds {
  readonly views: (runId: string) => Promise<RunView>
  readonly providerFor: (name: string) => Promise<Provider>
  /** Runs work nobody waits for (frames no shot starts from) outside the job. */
  readonly background: (work: () => Promise<void>) => void
}

/** BullMQ's processor for shot jobs: the shot through `runShotJob`, handed back or logged as it ends. */
export function shotProcessor(context: ProcessorContext, needs: ShotProcessorNeeds) {
  const { views, providerFor, background } = needs
  const shotJob = async (job: Job<ShotJobData>, token?: string) => {
    const lease = context.leases.open(SHOT_QUEUE, job, token)
    try {
      await runShot(job, token, lease)
    } catch (error) {
      if (lease.lost()) lockLost(context, job.data.runId, `shot ${job.data.shot}`, job.data.shot)
      throw error
    } finally {
      lease.close()
    }
  }
  const runShot = async (job: Job<ShotJobData>, token: string | undefined, lease: JobLease) => {
    const { runId, shot } = job.data
    const run = await views(runId)
    context.log({ state: 'started', run: runId, shot, message: `shot ${shot} of run ${runId}: started` })
    const provider = await providerFor(run.meta.provider).catch((error: unknown) => error as Error)
    const end =
      provider instanceof Error
        ? await failShotJob(context.farm, run, shot, provider)
        : await runShotJob(run, shot, {
            farm: context.farm,
            provider,
            hooks: context.options.hooks,
            signal: lease.signal,
            confirm: () => lease.confirm(),
            queuedAt: job.timestamp,
            background,
          })
    if ('handedBack' in end) {
      if (lease.lost()) lockLost(context, runId, `shot ${shot}`, shot)
      const id = end.predictionId ? { predictionId: end.predictionId } : {}
      await job.updateData({ ...job.data, ...id })
      await job.moveToWait(token)
      context.log({
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
    context.log({
      state: o.status,
      run: runId,
      shot,
      ...('predictionId' in o && o.predictionId ? { predictionId: o.predictionId } : {}),
      message: `shot ${shot} of run ${runId}: ${o.status}${detail}`,
    })
  }
  return shotJob
}
