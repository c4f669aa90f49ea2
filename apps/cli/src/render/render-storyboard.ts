import { dirname, resolve } from 'node:path'
import { locateFfmpeg } from '@storyreel/assembler'
import type { Plan } from '@storyreel/core'
import {
  isSchedulerError,
  openFileRunStore,
  type RunOptions,
  runPlan,
  type RunResult,
  type SchedulerEvent,
} from '@storyreel/scheduler'
import type { CliIo } from '../cli-io.ts'
import { EXIT, UsageError } from '../command.ts'
import { jsonEvent, noticeWriter } from '../output/notice.ts'
import { migrateOldCache } from '../settings/migrate-cache.ts'
import { resolveSettings } from '../settings/settings.ts'
import { approveSpend, overBudgetFailure } from './approve-spend.ts'
import { chooseProvider } from './choose-provider.ts'
import { sharedDecodeHooks } from './clip-hooks.ts'
import { finishRun } from './finish-run.ts'
import { interruptFrom, trapInterrupts } from './interrupt.ts'
import { openLiveReel } from './live-reel.ts'
import { DEFAULT_CONCURRENCY, openProvider, type WebhookOptions } from './open-provider.ts'
import { printOutcome } from './print-outcome.ts'
import { redactingIo, secretsOf } from './redacting-io.ts'
import { createRenderSession, type RenderSession } from './render-session.ts'
import { defaultOutDir, shortPath } from './run-location.ts'
import { terminalOf } from './terminal.ts'
import { checkOnly, loadValidPlan } from './valid-plan.ts'

export interface RenderOptions {
  readonly file: string
  readonly out?: string
  readonly provider?: string
  readonly concurrency?: number
  readonly maxCost?: number
  readonly yes: boolean
  readonly only?: readonly string[]
  readonly force: boolean
  readonly json: boolean
  /** Stops the render as Ctrl-C does; given, the caller owns Ctrl-C and no handler is installed (the review server). */
  readonly signal?: AbortSignal
  /** Asks for the confirmation above $5 somewhere other than the terminal (the review page). */
  readonly ask?: (question: string, cost: number) => Promise<boolean>
  readonly webhook?: WebhookOptions
}

/**
 * `storyreel render`: validate, then let the scheduler estimate, check `--max-cost` and ask for
 * approval, render every shot along its chains, then stitch the reel and write the manifest,
 * contact sheet and report. Everything printed is scrubbed of the API key.
 */
export async function renderStoryboard(options: RenderOptions, processIo: CliIo): Promise<number> {
  const secrets = secretsOf(processIo.env)
  const terminal = terminalOf(processIo)
  const io = redactingIo(processIo, secrets)
  const say = noticeWriter(io, options.json)
  const plan = await loadValidPlan(options.file, io)
  if (!plan) return EXIT.failure
  if (options.only) checkOnly(options.only, plan)
  const flags = { concurrency: options.concurrency, maxCost: options.maxCost, provider: options.provider }
  const settings = await resolveSettings({
    flags,
    env: io.env,
    cwd: io.cwd,
    startDir: dirname(resolve(io.cwd, options.file)),
  })
  const choice = chooseProvider(settings.provider.value, io.env)
  if (choice.notice) say(choice.notice)
  const root = resolve(io.cwd, options.out ?? defaultOutDir(options.file, io.cwd, settings.outDir.value))
  const cacheDir = settings.cacheDir.value
  const migrated = await migrateOldCache(io.cwd, cacheDir)
  if (migrated)
    say(
      `Moved the clip cache from ${shortPath(io.cwd, migrated)} to ${cacheDir}: one cache is now shared by every run on this machine (STORYREEL_CACHE_DIR or cacheDir in storyreel.config.yaml choose another folder).`,
    )
  if (options.webhook && choice.name !== 'wavespeed')
    throw new UsageError(
      '--webhook-url is for renders on WaveSpeed; an animatic renders on this machine and needs none',
      'render',
    )
  // ffmpeg's capabilities from the cache directory, once, before anything renders or is paid for.
  await locateFfmpeg({ cacheDir })
  const opened = await openProvider(choice.name, io.env, cacheDir, {
    webhook: options.webhook,
    output: plan.output,
    poll: settings.poll.value,
  })
  const { provider, balance } = opened
  if (opened.webhookListening)
    say(
      `Webhook receiver listening on ${opened.webhookListening} for ${options.webhook!.url}; polling stays as the fallback.`,
    )
  const concurrency = settings.concurrency.value ?? DEFAULT_CONCURRENCY[choice.name]
  const store = openFileRunStore(root, { secrets })
  const session = createRenderSession({
    plan,
    io,
    terminal,
    json: options.json,
    concurrency,
    paid: provider.paid,
  })
  const approve = approveSpend({
    paid: provider.paid,
    ...(balance === undefined ? {} : { balance }),
    yes: options.yes,
    terminal,
    say,
    ...(options.ask ? { ask: options.ask } : {}),
  })

  const live = openLiveReel(plan, store.layout, cacheDir)
  const interrupt = options.signal
    ? interruptFrom(options.signal)
    : trapInterrupts(
        (text) => session.note(text),
        (code) => process.exit(code),
      )
  const resumeHint = `run the same command again to resume: predictions already paid for are recorded in ${shortPath(io.cwd, root)} and will not be paid twice.`
  try {
    const onEvent = (event: SchedulerEvent) => {
      session.onEvent(event)
      live.onEvent(event)
    }
    const end = await render(plan, onEvent, session, say, {
      provider,
      store,
      cacheDir,
      secrets,
      concurrency,
      maxCost: settings.maxCost.value,
      only: options.only,
      force: options.force,
      signal: interrupt.signal,
      ...sharedDecodeHooks(store.layout.workDir),
      approve: async (estimate) => {
        if (!(await approve(estimate))) return false
        session.start(estimate)
        return true
      },
    })
    if (end === 'declined') return EXIT.failure
    const { result, interrupted } = end
    const run = session.run
    if (!run) {
      say(`Interrupted before anything was submitted; ${resumeHint}`)
      return EXIT.interrupted
    }
    const finished = await finishRun({
      plan,
      run,
      layout: store.layout,
      provider: choice.name,
      result,
      interrupted,
      secrets,
      assemble: {
        signal: interrupt.signal,
        notify: (text) => session.note(text),
        onProgress: (progress) => session.assembling(progress),
        cacheDir,
        live,
      },
    })
    session.close()
    // The notes first: with --json, `result` is the last line, after every note about the run.
    if (interrupted) say(`Interrupted; ${resumeHint}`)
    const code = interrupted ? EXIT.interrupted : printOutcome(result, finished, run.spent, options.json, io)
    if (options.json)
      io.stdout.write(
        jsonEvent('result', {
          status: finished.status,
          runDir: root,
          reel: finished.reel,
          report: finished.report,
          manifest: finished.manifest,
          spent: run.spent,
        }),
      )
    return code
  } catch (error) {
    // Ctrl-C while the reel was being stitched: nothing paid is lost, the next run stitches again.
    if (!interrupt.interrupted()) throw error
    say(`Interrupted; ${resumeHint}`)
    return EXIT.interrupted
  } finally {
    session.close()
    interrupt.dispose()
    await Promise.all([live.close(), opened.close()])
  }
}

/** Runs the scheduler into the session; an interruption is an outcome, a decline or `--max-cost` a message. */
async function render(
  plan: Plan,
  onEvent: NonNullable<RunOptions['onEvent']>,
  session: RenderSession,
  say: (text: string) => void,
  options: Omit<RunOptions, 'onEvent'>,
): Promise<'declined' | { result?: RunResult; interrupted: boolean }> {
  let result: RunResult | undefined
  try {
    result = await runPlan(plan, { ...options, onEvent })
    return { result, interrupted: false }
  } catch (error) {
    if (isSchedulerError(error, 'SCHED_NOT_APPROVED')) return 'declined'
    if (isSchedulerError(error, 'SCHED_OVER_BUDGET')) throw overBudgetFailure(error, say)
    if (!isSchedulerError(error, 'SCHED_ABORTED')) throw error
    result = error.result
    return { ...(result ? { result } : {}), interrupted: true }
  } finally {
    session.rendered(result)
  }
}
