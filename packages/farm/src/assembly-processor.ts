import { type Job, WaitingError } from 'bullmq'
import { runAssemblyJob } from './assembly-job.ts'
import type { AssemblyJobData } from './farm-context.ts'
import type { JobLease } from './job-lease.ts'
import { ASSEMBLY_QUEUE } from './keys.ts'
import { lockLost, type ProcessorContext } from './processor-context.ts'
import { publish } from './run-events.ts'
import { setStatus } from './run-record.ts'

/** BullMQ's processor for assembly jobs: the run's reel, or its failure announced to the followers. */
export function assemblyProcessor(context: ProcessorContext) {
  const assemblyJob = async (job: Job<AssemblyJobData>, token?: string) => {
    const lease = context.leases.open(ASSEMBLY_QUEUE, job, token)
    try {
      await assembleRun(job, token, lease)
    } finally {
      lease.close()
    }
  }
  const assembleRun = async (job: Job<AssemblyJobData>, token: string | undefined, lease: JobLease) => {
    const { runId } = job.data
    context.log({ state: 'started', run: runId, message: `run ${runId}: assembling the reel` })
    try {
      const finished = await runAssemblyJob(
        context.farm,
        runId,
        context.options.assemble,
        context.options.hooks.extractFrames,
        lease.signal,
        () => lease.confirm(),
      )
      context.log({
        state: 'assembled',
        run: runId,
        message: `run ${runId}: ${finished.status}${finished.reel ? `, reel ${finished.reel}` : ''}`,
      })
    } catch (error) {
      if (lease.lost()) lockLost(context, runId, 'assembly')
      if (!context.stopping.aborted) {
        // The followers must hear the run ended, or they would wait forever.
        const message = error instanceof Error ? error.message : String(error)
        await setStatus(context.farm.redis, runId, 'failed')
        await publish(context.farm.redis, runId, { kind: 'end', status: 'failed', message })
        context.log({ state: 'failed', run: runId, message: `run ${runId}: assembly failed: ${message}` })
        throw error
      }
      await job.moveToWait(token)
      context.log({ state: 'handed-back', run: runId, message: `run ${runId}: assembly handed back` })
      throw new WaitingError()
    }
  }
  return assemblyJob
}
