import { dirname, resolve } from 'node:path'
import { loadStoryboard } from '@storyreel/core'
import { isReviewError, startReviewServer } from '@storyreel/review'
import type { CliIo } from '../cli-io.ts'
import { type Command, EXIT, UsageError } from '../command.ts'
import { printIssues } from '../output/issues.ts'
import { chooseProvider } from '../render/choose-provider.ts'
import { CliFailure, withFailureMessages } from '../render/failure.ts'
import { trapInterrupts } from '../render/interrupt.ts'
import { openProvider } from '../render/open-provider.ts'
import { defaultOutDir } from '../render/run-location.ts'
import { CONFIRM_ABOVE_USD } from '../render/spend-gate.ts'
import { openBrowser } from '../review/open-browser.ts'
import { createReviewBackend } from '../review/review-backend.ts'
import { portOf, RUN_OPTIONS, type RunFlags, runFlagsOf } from '../run-options.ts'
import { resolveSettings } from '../settings/settings.ts'

interface ReviewOptions extends RunFlags {
  readonly file: string
  readonly port: number
  readonly open: boolean
}

/** Serves the review page until Ctrl-C, which stops a render in flight as `render`'s Ctrl-C does. */
async function review(options: ReviewOptions, io: CliIo): Promise<number> {
  const say = (text: string) => io.stderr.write(`${text}\n`)
  // An invalid storyboard is shown on the page (and fixed while it is open); a missing one has no page.
  const first = await loadStoryboard(options.file, { cwd: io.cwd })
  const missing = first.issues.filter(
    (i) => i.code === 'CORE_FILE_NOT_FOUND' || i.code === 'CORE_FILE_NOT_REGULAR',
  )
  if (missing.length > 0) {
    printIssues(missing, io)
    throw new CliFailure(`Nothing to review: ${options.file} is not a storyboard file.`)
  }
  const choice = chooseProvider(options.provider, io.env)
  if (choice.notice) say(choice.notice)
  const settings = await resolveSettings({
    env: io.env,
    cwd: io.cwd,
    startDir: dirname(resolve(io.cwd, options.file)),
  })
  const cacheDir = settings.cacheDir.value
  const runDir = resolve(io.cwd, options.out ?? defaultOutDir(options.file, io.cwd, settings.outDir.value))
  // Opening WaveSpeed checks the key, the account and the network once, before the page can ask for a render;
  // this provider only prices what is stale (each render opens its own).
  const { provider } = await openProvider(choice.name, io.env, cacheDir)
  const backend = createReviewBackend({
    file: options.file,
    runDir,
    cacheDir,
    provider,
    io,
    render: {
      ...(options.provider ? { provider: options.provider } : {}),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.maxCost !== undefined ? { maxCost: options.maxCost } : {}),
    },
  })
  const server = await startReviewServer({
    storyboardFile: resolve(io.cwd, options.file),
    backend,
    port: options.port,
  }).catch((error: unknown) => {
    if (!isReviewError(error, 'REVIEW_LISTEN')) throw error
    const why =
      error.reason === 'EADDRINUSE'
        ? 'the port is in use'
        : error.reason === 'EACCES'
          ? 'permission denied'
          : error.reason
    throw new CliFailure(
      `Cannot serve on ${error.host}:${error.port}: ${why}. Choose another --port, or leave it out for any free port.`,
    )
  })
  io.stdout.write(`Review: ${server.url}\n`)
  say('Press Ctrl-C to stop.')
  if (options.open && !(await openBrowser(server.url)))
    say('Could not open a browser: open the address above.')

  // The first Ctrl-C's own words are about a render; with none running, stopping is all there is to say.
  const interrupt = trapInterrupts(
    (text) => say(server.rendering() ? text : 'Stopping the review server.'),
    (code) => process.exit(code),
  )
  await new Promise((done) => interrupt.signal.addEventListener('abort', done, { once: true }))
  const rendering = server.rendering()
  await server.close()
  interrupt.dispose()
  if (!rendering) return EXIT.ok
  say(
    'The render was interrupted; render again from the page or with `storyreel render`: predictions already paid for are re-attached, not paid twice.',
  )
  return EXIT.interrupted
}

export const reviewCommand: Command = {
  name: 'review',
  usage:
    'storyreel review FILE [--port N] [--open] [--out DIR] [--provider wavespeed|animatic] [--concurrency N] [--max-cost USD]',
  description: [
    "Serves the storyboard's review page on 127.0.0.1 and prints its address: the reel, then a row per shot",
    'with every take side by side, the picked one marked, and the prompt, model, cost and status.',
    'Pick writes `pick: N` into the storyboard as `storyreel pick` does. The page follows the file: save',
    'it in any editor and, within a second, it shows which shots are stale and what refreshing them costs,',
    'or the validation errors. "Render stale shots" (key r) renders them with live progress and swaps in the',
    `new reel; --max-cost applies, and a paid render above $${CONFIRM_ABOVE_USD} asks on the page first.`,
    'Only this machine can reach the page, and only the page itself can pick or render (a per-server token).',
    "Ctrl-C stops the server; a render in flight stops as `render`'s Ctrl-C does: nothing is paid twice.",
  ].join('\n'),
  options: {
    port: {
      type: 'string',
      short: 'p',
      valueName: 'N',
      description: 'Port on 127.0.0.1 (default 0: any free port)',
    },
    open: { type: 'boolean', description: 'Open the page in the default browser' },
    ...RUN_OPTIONS,
  },
  examples: [
    'storyreel review storyboards/storm-at-sea.yaml --open',
    'WAVESPEED_API_KEY=... storyreel review storm.yaml --max-cost 20 --port 8300',
  ],
  run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('review needs exactly one storyboard file', 'review')
    const port = portOf(values, 'port', 0, 'review') ?? 0
    const flags = runFlagsOf(values, 'review')
    return withFailureMessages(io, () =>
      review({ file: positionals[0]!, port, open: values.open === true, ...flags }, io),
    )
  },
}
