import { isAbsolute, join, relative, resolve } from 'node:path'
import { loadStoryboard, type Plan, type Provider } from '@storyreel/core'
import { estimateRun, runPlan, type RunEstimate, type RunOptions, type RunResult, type SchedulerError } from '@storyreel/scheduler'
import { clientFromEnv, createUploadCache, createWavespeedProvider } from '@storyreel/wavespeed'
import { createAnimaticProvider } from '@storyreel/animatic'
import type { CliIo } from '../cli-io.ts'
import { EXIT } from '../command.ts'
import { printIssues } from '../output/issues.ts'
import { formatUsd } from '../output/table.ts'
import { applyEvent } from './apply-event.ts'
import { cacheDirOf, uploadCacheFile } from './cache-dir.ts'
import { chooseProvider, type ProviderName } from './choose-provider.ts'
import { terminalOf } from './terminal.ts'
import { confirm } from './confirm.ts'
import { CliFailure, machineCauseOf } from './failure.ts'
import { finishRun, type Finished } from './finish-run.ts'
import { initialRunState } from './initial-run-state.ts'
import { trapInterrupts } from './interrupt.ts'
import { prepareRunDir } from './prepare-run-dir.ts'
import { chooseView } from './progress/choose-view.ts'
import type { ProgressView } from './progress/progress-view.ts'
import { defaultOutDir } from './run-dir.ts'
import type { RunState } from './run-state.ts'
import { CONFIRM_ABOVE_USD, estimateLine, spendGate } from './spend-gate.ts'

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
}

/** Shots at once by default: 4 on WaveSpeed (as `plan` assumes; it queues beyond the account's limit and the scheduler backs off on 429), two ffmpeg renders for animatics. */
const DEFAULT_CONCURRENCY: Record<ProviderName, number> = { wavespeed: 4, animatic: 2 }

/**
 * `storyreel render`: validate, estimate, confirm, render every shot along its
 * chains, then stitch the reel and write the manifest, contact sheet and report.
 */
export async function renderStoryboard(options: RenderOptions, io: CliIo): Promise<number> {
  const say = (text: string) => io.stderr.write(`${text}\n`)
  const loaded = await loadStoryboard(options.file, { cwd: io.cwd })
  printIssues(loaded.issues, io)
  if (!loaded.ok) {
    say(`${options.file} is not valid: nothing was rendered. Fix the errors above and run again.`)
    return EXIT.failure
  }
  const plan = loaded.plan
  const choice = chooseProvider(options.provider, io.env)
  if (choice.notice) say(choice.notice)
  const root = resolve(io.cwd, options.out ?? defaultOutDir(options.file, io.cwd))
  await prepareRunDir(root)
  const cacheDir = cacheDirOf(io.env, io.cwd)
  const { provider, balance } = await openProvider(choice.name, io.env, cacheDir)
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY[choice.name]

  const estimate = await approveSpend(plan, provider, balance, { ...options, root, cacheDir }, io)
  if (!estimate) return EXIT.failure

  const run = initialRunState(plan, { concurrency, estimate: estimate.cost, paid: provider.paid, now: Date.now() })
  const terminal = terminalOf(io)
  const view = chooseView({
    stream: options.json ? io.stdout : io.stderr,
    isTTY: terminal.stderrIsTTY,
    env: io.env,
    json: options.json,
    ...(terminal.rows ? { rows: terminal.rows } : {}),
    ...(terminal.columns ? { columns: terminal.columns } : {}),
  })
  // While the view is live, messages go through it so they do not tear the redrawn block.
  const interrupt = trapInterrupts((text) => view.note(text), (code) => process.exit(code))
  const resumeHint = `run the same command again to resume: predictions already paid for are recorded in ${shortPath(io.cwd, root)} and will not be paid twice.`
  try {
    const { result, interrupted } = await execute(plan, run, view, {
      provider,
      runDir: root,
      cacheDir,
      concurrency,
      ...(provider.paid && options.maxCost !== undefined ? { maxCost: options.maxCost } : {}),
      ...(options.only ? { only: options.only } : {}),
      force: options.force,
      signal: interrupt.signal,
    })
    const finished = await finishRun({ plan, run, root, provider: choice.name, result, interrupted, secrets: secretsOf(io.env), signal: interrupt.signal, notify: say })
    if (options.json) io.stdout.write(`${JSON.stringify({ type: 'result', status: finished.status, runDir: root, reel: finished.reel, report: finished.report, manifest: finished.manifest, spent: run.spent })}\n`)
    if (interrupted) {
      say(`Interrupted; ${resumeHint}`)
      return EXIT.interrupted
    }
    return printOutcome(result, finished, run, options.json, io)
  } catch (error) {
    // Ctrl-C while the reel was being stitched: nothing paid is lost, the next run stitches again.
    if (!interrupt.interrupted()) throw error
    say(`Interrupted; ${resumeHint}`)
    return EXIT.interrupted
  } finally {
    interrupt.dispose()
  }
}

/** Runs the scheduler, feeding its events to the progress view; an interruption is an outcome, not an error. */
async function execute(plan: Plan, run: RunState, view: ProgressView, options: Omit<RunOptions, 'onEvent'>): Promise<{ result?: RunResult; interrupted: boolean }> {
  let result: RunResult | undefined
  let interrupted = false
  try {
    result = await runPlan(plan, {
      ...options,
      onEvent: (event) => {
        const shot = applyEvent(run, event)
        if (shot) view.shotChanged(run, shot)
      },
    })
  } catch (error) {
    if ((error as SchedulerError).code !== 'SCHED_ABORTED') throw error
    interrupted = true
    result = (error as SchedulerError).data.result as RunResult | undefined
  } finally {
    view.close(run)
  }
  if (result) recordOutcomes(run, result)
  return { ...(result ? { result } : {}), interrupted }
}

/** Failures with their prediction ids, the machine cause if there is one, where the reel is; the exit code. */
function printOutcome(result: RunResult | undefined, finished: Finished, run: RunState, json: boolean, io: CliIo): number {
  const say = (text: string) => io.stderr.write(`${text}\n`)
  for (const failure of result?.failures ?? []) say(`${failure.shot}: failed${failure.predictionId ? ` (prediction ${failure.predictionId})` : ''}: ${failure.message}`)
  for (const outcome of result?.shots ?? []) if (outcome.status === 'skipped') say(`${outcome.shot}: skipped: ${outcome.reason}`)
  const machineCause = machineCauseOf(result?.failures ?? [])
  if (machineCause) say(`storyreel: ${machineCause}`)
  if (!json) {
    if (finished.reel) io.stdout.write(`Reel: ${shortPath(io.cwd, finished.reel)}\n`)
    io.stdout.write(`Review: ${shortPath(io.cwd, finished.report)}\nSpent: ${formatUsd(run.spent)}\n`)
  }
  if (finished.status === 'completed') return EXIT.ok
  if (!machineCause) say('Not every shot rendered, so there is no reel. Fix the failures above (transient ones often pass on a second try) and run the same command again; finished shots are kept and paid predictions are not paid again.')
  return EXIT.failure
}

/**
 * Shows what the run will spend and stops it when it should not go ahead:
 * over --max-cost, over the balance, or declined at the prompt (undefined).
 */
async function approveSpend(
  plan: Plan,
  provider: Provider,
  balance: number | undefined,
  options: RenderOptions & { readonly root: string; readonly cacheDir: string },
  io: CliIo,
): Promise<RunEstimate | undefined> {
  const estimate = await estimateRun(plan, { provider, cacheDir: options.cacheDir, runDir: options.root, force: options.force, ...(options.only ? { only: options.only } : {}) })
  const reused = estimate.shots.filter((s) => s.action === 'reuse').length
  io.stderr.write(`${estimateLine({ cost: estimate.cost, submissions: estimate.submissions, reused, paid: provider.paid })}\n`)
  if (!provider.paid) return estimate
  if (options.maxCost !== undefined && estimate.cost > options.maxCost) {
    throw new CliFailure(`The estimate ${formatUsd(estimate.cost)} is over --max-cost ${formatUsd(options.maxCost)}: nothing was submitted. Raise --max-cost, or render fewer shots with --only ID,...`)
  }
  if (balance !== undefined && estimate.cost > balance) {
    throw new CliFailure(`Your WaveSpeed balance is ${formatUsd(balance)}, less than the ${formatUsd(estimate.cost)} this run needs: nothing was submitted. Top up at https://wavespeed.ai, or render fewer shots with --only ID,...`)
  }
  const terminal = terminalOf(io)
  const gate = spendGate({ ...estimate, reused, paid: true, yes: options.yes, interactive: terminal.interactive, threshold: CONFIRM_ABOVE_USD })
  if (gate === 'ask' && !(await confirm(`Spend about ${formatUsd(estimate.cost)} on WaveSpeed?`, terminal.stdin, process.stderr))) {
    io.stderr.write('Nothing was submitted.\n')
    return undefined
  }
  return estimate
}

async function openProvider(name: ProviderName, env: NodeJS.ProcessEnv, cacheDir: string): Promise<{ provider: Provider; balance?: number }> {
  if (name === 'animatic') return { provider: createAnimaticProvider({ cacheDir: join(cacheDir, 'animatic') }) }
  const client = clientFromEnv(env)
  // One cheap call before anything is paid: a wrong key, an empty account or an unreachable API fail here, once.
  const balance = await client.balance()
  const uploadCache = createUploadCache({ path: uploadCacheFile(cacheDir, client.baseUrl) })
  return { provider: createWavespeedProvider(client, { uploadCache }), balance }
}

/** The outcome is the final word: it carries the cache keys and the states of shots the events did not finish. */
function recordOutcomes(run: RunState, result: RunResult): void {
  for (const outcome of result.shots) {
    const shot = run.shots.find((s) => s.id === outcome.shot)
    if (!shot) continue
    if ('key' in outcome) shot.cacheKey = outcome.key
    if (outcome.status === 'done' || outcome.status === 'cached') {
      shot.state = outcome.status
      shot.clip = outcome.clip
      shot.sha256 = outcome.sha256
    } else if (outcome.status === 'failed') {
      shot.state = 'failed'
      shot.error = outcome.message
    } else if (outcome.status === 'skipped') {
      shot.state = 'skipped'
      shot.error = outcome.reason
    }
  }
  if (run.paid) run.spent = result.spent
}

function secretsOf(env: NodeJS.ProcessEnv): string[] {
  const key = env.WAVESPEED_API_KEY?.trim()
  return key ? [key] : []
}


/** Relative to the current directory when inside it, else absolute: `renders/x/reel.mp4`, not `../../tmp/x/reel.mp4`. */
function shortPath(cwd: string, path: string): string {
  const rel = relative(cwd, path)
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel
}
