import { join, resolve } from 'node:path'
import { type FarmClient, openFarmClient, redisUrlForDisplay } from '@storyreel/farm'
import { type FailedOutcome, schedulerError } from '@storyreel/scheduler'
import type { CliIo } from '../cli-io.ts'
import { EXIT, UsageError } from '../command.ts'
import { jsonEvent, noticeWriter } from '../output/notice.ts'
import { approveSpend, overBudgetFailure } from '../render/approve-spend.ts'
import { trapInterrupts } from '../render/interrupt.ts'
import { printOutcome } from '../render/print-outcome.ts'
import { redactingIo, secretsOf } from '../render/redacting-io.ts'
import { createRenderSession } from '../render/render-session.ts'
import type { RenderOptions } from '../render/render-storyboard.ts'
import { terminalOf } from '../render/terminal.ts'
import { loadValidPlan } from '../render/valid-plan.ts'

export interface FarmRenderOptions extends RenderOptions {
  readonly queue: string
  readonly detach: boolean
  /** Where this machine sees the farm's store, to show the reel's path (else store-relative names). */
  readonly store?: string
  readonly keyConcurrency?: number
}

/** The farm renders with the workers' key: this machine needs none to enqueue a WaveSpeed run. */
function farmProvider(
  flag: string | undefined,
  env: CliIo['env'],
): { name: 'wavespeed' | 'animatic'; paid: boolean; notice?: string } {
  if (flag !== undefined && flag !== 'wavespeed' && flag !== 'animatic')
    throw new UsageError(`--provider must be wavespeed or animatic, not "${flag}"`, 'render')
  const name = flag ?? (env.WAVESPEED_API_KEY?.trim() ? 'wavespeed' : 'animatic')
  const notice =
    flag === undefined && name === 'animatic'
      ? "No WAVESPEED_API_KEY here and no --provider: the farm renders an offline animatic (free). Pass --provider wavespeed to render with the workers' key."
      : undefined
  return { name, paid: name === 'wavespeed', ...(notice ? { notice } : {}) }
}

/**
 * `storyreel render FILE --queue URL`: the local render's validation, estimate, `--max-cost`
 * and confirmation, then the run is enqueued and followed with the same progress views and exit
 * codes. `--detach` prints the run id and exits. Ctrl-C stops following; the farm goes on.
 */
export async function renderOnFarm(options: FarmRenderOptions, processIo: CliIo): Promise<number> {
  const secrets = secretsOf(processIo.env)
  const terminal = terminalOf(processIo)
  const io = redactingIo(processIo, secrets)
  const say = noticeWriter(io, options.json)
  const plan = await loadValidPlan(options.file, io)
  if (!plan) return EXIT.failure
  const provider = farmProvider(options.provider, io.env)
  if (provider.notice) say(provider.notice)
  const store = options.store === undefined ? undefined : resolve(io.cwd, options.store)
  const farm = openFarmClient(options.queue, { onDown: say, onUp: say, ...(store ? { store } : {}) })
  try {
    const scope = {
      ...(options.force ? { force: true } : {}),
      ...(options.only ? { only: options.only } : {}),
    }
    const estimate = await farm.estimate(plan, { provider, ...scope })
    if (options.maxCost !== undefined && estimate.cost > options.maxCost)
      throw overBudgetFailure(
        schedulerError('SCHED_OVER_BUDGET', '', { estimate, maxCost: options.maxCost }),
        say,
      )
    if (!(await approveSpend({ paid: provider.paid, yes: options.yes, terminal, say })(estimate)))
      return EXIT.failure
    const runId = await farm.submit(plan, {
      provider,
      estimate,
      ...scope,
      ...(options.maxCost === undefined ? {} : { maxCost: options.maxCost }),
      ...(options.keyConcurrency === undefined ? {} : { keyConcurrency: options.keyConcurrency }),
    })
    if (options.detach) {
      io.stdout.write(options.json ? jsonEvent('enqueued', { runId }) : `${runId}\n`)
      say(
        `Enqueued run ${runId}. Follow it with: storyreel status ${runId} --queue ${redisUrlForDisplay(options.queue)}`,
      )
      return EXIT.ok
    }
    say(`Enqueued run ${runId}; following it (Ctrl-C stops following, the farm goes on).`)
    return await follow(
      farm,
      runId,
      { ...options, ...(store ? { store } : {}) },
      plan,
      estimate,
      provider.paid,
      io,
      terminal,
    )
  } finally {
    await farm.close()
  }
}

async function follow(
  farm: FarmClient,
  runId: string,
  options: FarmRenderOptions,
  plan: NonNullable<Awaited<ReturnType<typeof loadValidPlan>>>,
  estimate: Awaited<ReturnType<FarmClient['estimate']>>,
  paid: boolean,
  io: CliIo,
  terminal: ReturnType<typeof terminalOf>,
): Promise<number> {
  const say = noticeWriter(io, options.json)
  const state = await farm.state(runId)
  const session = createRenderSession({
    plan,
    io,
    terminal,
    json: options.json,
    concurrency: state.meta.keyConcurrency,
    paid,
  })
  session.start(estimate)
  const interrupt = trapInterrupts(
    (text) => session.note(text),
    (code) => process.exit(code),
  )
  try {
    const end = await farm.follow(
      runId,
      (e) => (e.kind === 'shot' ? session.onEvent(e.event) : undefined),
      interrupt.signal,
    )
    if (!end || end.status === 'canceled') {
      session.close()
      say(
        end
          ? `Run ${runId} was canceled (storyreel cancel): its queued shots were dropped and nothing more is submitted; ` +
              'shots already rendering finish into the cache, then a worker writes its manifest and report (status interrupted, no reel). ' +
              `Rendering the storyboard again (storyreel render ${options.file} --queue ${redisUrlForDisplay(options.queue)}) pays only for what is missing.`
          : `Stopped following; run ${runId} goes on on the farm. Follow it with: storyreel status ${runId} --queue ${redisUrlForDisplay(options.queue)}`,
      )
      return end ? EXIT.failure : EXIT.interrupted
    }
    if (!end.finished) {
      session.close()
      say(
        `Run ${runId} could not be assembled: ${end.message ?? "see the worker's log"}. Its clips are in the store; render it again to assemble without paying twice.`,
      )
      return EXIT.failure
    }
    const outcomes = await farm.outcomes(runId)
    const result = {
      shots: outcomes,
      failures: outcomes.filter((o): o is FailedOutcome => o.status === 'failed'),
    }
    session.close()
    const where = (name: string) => (options.store ? join(options.store, name) : name)
    const finished = end.finished
    const shown = {
      status: finished.status,
      ...(finished.reel ? { reel: where(finished.reel) } : {}),
      manifest: where(finished.manifest),
      report: where(finished.report),
    }
    const spent = session.run!.spent
    // The notes first: with --json, `result` is the last line, after every note about the run.
    const code = printOutcome(result, shown, spent, options.json, io)
    if (options.json)
      io.stdout.write(
        jsonEvent('result', {
          status: shown.status,
          runId,
          reel: shown.reel,
          report: shown.report,
          manifest: shown.manifest,
          spent,
        }),
      )
    return code
  } finally {
    interrupt.dispose()
  }
}
