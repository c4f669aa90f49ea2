import { resolve } from 'node:path'
import { extractFrames, verifyClip } from '@storyreel/assembler'
import { loadStoryboard, type Plan } from '@storyreel/core'
import { isSchedulerError, openFileRunStore, runPlan, type RunOptions, type RunResult } from '@storyreel/scheduler'
import { redactingIo, secretsOf, type CliIo } from '../cli-io.ts'
import { EXIT } from '../command.ts'
import { printIssues } from '../output/issues.ts'
import { approveSpend, overBudgetFailure } from './approve-spend.ts'
import { cacheDirOf } from './cache-dir.ts'
import { chooseProvider } from './choose-provider.ts'
import { finishRun } from './finish-run.ts'
import { trapInterrupts } from './interrupt.ts'
import { DEFAULT_CONCURRENCY, openProvider } from './open-provider.ts'
import { printOutcome } from './print-outcome.ts'
import { createRenderSession, type RenderSession } from './render-session.ts'
import { defaultOutDir, shortPath } from './run-location.ts'
import { terminalOf } from './terminal.ts'

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

/**
 * `storyreel render`: validate, then let the scheduler estimate, check `--max-cost` and ask for
 * approval, render every shot along its chains, then stitch the reel and write the manifest,
 * contact sheet and report. Everything printed is scrubbed of the API key.
 */
export async function renderStoryboard(options: RenderOptions, processIo: CliIo): Promise<number> {
  const secrets = secretsOf(processIo.env)
  const terminal = terminalOf(processIo)
  const io = redactingIo(processIo, secrets)
  const say = (text: string) => io.stderr.write(`${text}\n`)
  const plan = await loadValidPlan(options.file, io)
  if (!plan) return EXIT.failure
  const choice = chooseProvider(options.provider, io.env)
  if (choice.notice) say(choice.notice)
  const root = resolve(io.cwd, options.out ?? defaultOutDir(options.file, io.cwd))
  const cacheDir = cacheDirOf(io.env, io.cwd)
  const { provider, balance } = await openProvider(choice.name, io.env, cacheDir)
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY[choice.name]
  const store = openFileRunStore(root, { secrets })
  const session = createRenderSession({ plan, io, terminal, json: options.json, concurrency, paid: provider.paid })
  const approve = approveSpend({ paid: provider.paid, ...(balance === undefined ? {} : { balance }), yes: options.yes, terminal, say })

  const interrupt = trapInterrupts((text) => session.note(text), (code) => process.exit(code))
  const resumeHint = `run the same command again to resume: predictions already paid for are recorded in ${shortPath(io.cwd, root)} and will not be paid twice.`
  try {
    const end = await render(plan, session, say, {
      provider,
      store,
      cacheDir,
      secrets,
      concurrency,
      maxCost: options.maxCost,
      only: options.only,
      force: options.force,
      signal: interrupt.signal,
      extractFrames,
      verifyClip: (clip, expected, call) => verifyClip(clip, { expectedDuration: expected.duration, ...call }).then(() => undefined),
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
    const finished = await finishRun({ plan, run, layout: store.layout, provider: choice.name, result, interrupted, secrets, signal: interrupt.signal, notify: say })
    if (options.json) io.stdout.write(`${JSON.stringify({ type: 'result', status: finished.status, runDir: root, reel: finished.reel, report: finished.report, manifest: finished.manifest, spent: run.spent })}\n`)
    if (interrupted) {
      say(`Interrupted; ${resumeHint}`)
      return EXIT.interrupted
    }
    return printOutcome(result, finished, run.spent, options.json, io)
  } catch (error) {
    // Ctrl-C while the reel was being stitched: nothing paid is lost, the next run stitches again.
    if (!interrupt.interrupted()) throw error
    say(`Interrupted; ${resumeHint}`)
    return EXIT.interrupted
  } finally {
    interrupt.dispose()
  }
}

/** The storyboard's plan, its issues printed; undefined (and said why) when it is not valid. */
export async function loadValidPlan(file: string, io: CliIo): Promise<Plan | undefined> {
  const loaded = await loadStoryboard(file, { cwd: io.cwd })
  printIssues(loaded.issues, io)
  if (loaded.ok) return loaded.plan
  io.stderr.write(`${file} is not valid: nothing was rendered. Fix the errors above and run again.\n`)
  return undefined
}

/** Runs the scheduler into the session; an interruption is an outcome, a decline or `--max-cost` a message. */
async function render(plan: Plan, session: RenderSession, say: (text: string) => void, options: Omit<RunOptions, 'onEvent'>): Promise<'declined' | { result?: RunResult; interrupted: boolean }> {
  let result: RunResult | undefined
  try {
    result = await runPlan(plan, { ...options, onEvent: (event) => session.onEvent(event) })
    return { result, interrupted: false }
  } catch (error) {
    if (isSchedulerError(error, 'SCHED_NOT_APPROVED')) return 'declined'
    if (isSchedulerError(error, 'SCHED_OVER_BUDGET')) throw overBudgetFailure(error, say)
    if (!isSchedulerError(error, 'SCHED_ABORTED')) throw error
    result = error.result
    return { ...(result ? { result } : {}), interrupted: true }
  } finally {
    session.close(result)
  }
}
