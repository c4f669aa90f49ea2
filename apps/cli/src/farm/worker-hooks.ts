import { extractFrames, verifyClip } from '@storyreel/assembler'
import type { Provider } from '@storyreel/core'
import { type AssembleHook, farmError, type WorkerOptions } from '@storyreel/farm'
import type { ClipHooks } from '@storyreel/scheduler'
import { applyEvent } from '../render/apply-event.ts'
import { finishRun } from '../render/finish-run.ts'
import { initialRunState } from '../render/initial-run-state.ts'
import { openProvider } from '../render/open-provider.ts'
import { recordOutcomes } from '../render/render-session.ts'

/** The clip checks of a local render, for the shots a worker takes. */
export const clipHooks: Pick<ClipHooks, 'extractFrames' | 'verifyClip'> = {
  extractFrames,
  verifyClip: (clip, expected, call) =>
    verifyClip(clip, { expectedDuration: expected.duration, ...call }).then(() => undefined),
}

/** The finishing step of a local render (reel, contact sheet, manifest, report), fed the run's records from every worker. */
export function assembleLikeLocal(secrets: readonly string[], cacheDir: string): AssembleHook {
  return async ({ meta, plan, layout, result, events, signal, canceled }) => {
    const run = initialRunState(plan, {
      concurrency: meta.keyConcurrency,
      estimate: meta.estimate.cost,
      paid: meta.paid,
      now: meta.createdAt,
    })
    for (const event of events) applyEvent(run, event)
    recordOutcomes(run, result)
    return finishRun({
      plan,
      run,
      layout,
      provider: meta.provider,
      result,
      // A canceled run ends as a local Ctrl-C leaves one: the manifest and report, status interrupted, no reel.
      interrupted: canceled,
      secrets,
      assemble: { signal, cacheDir },
    })
  }
}

/** Opens the provider a run names from this worker's own environment (its key never leaves it). */
export function providerFromEnv(env: NodeJS.ProcessEnv, cacheDir: string): WorkerOptions['provider'] {
  return async (name): Promise<Provider> => {
    if (name === 'animatic') return (await openProvider('animatic', env, cacheDir)).provider
    if (name !== 'wavespeed')
      throw farmError(
        'FARM_NO_PROVIDER',
        `The run asks for provider "${name}", which this worker does not know.`,
        { provider: name },
      )
    if (!env.WAVESPEED_API_KEY?.trim()) {
      throw farmError(
        'FARM_NO_PROVIDER',
        'This worker has no WAVESPEED_API_KEY in its environment, so it cannot render WaveSpeed shots. Set it where the worker starts.',
        { provider: name },
      )
    }
    return (await openProvider('wavespeed', env, cacheDir)).provider
  }
}
