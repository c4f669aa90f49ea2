import { loadStoryboard, pickInFile, type Provider } from '@storyreel/core'
import type { RenderEnd, ReviewBackend } from '@storyreel/review'
import type { CliIo } from '../cli-io.ts'
import { EXIT } from '../command.ts'
import { CliFailure, withFailureMessages } from '../render/failure.ts'
import { requireRenderedTake } from '../render/pick-take.ts'
import { type RenderOptions, renderStoryboard } from '../render/render-storyboard.ts'
import { shortPath } from '../render/run-location.ts'
import { reviewSnapshot } from './review-snapshot.ts'

export interface BackendOptions {
  readonly file: string
  readonly runDir: string
  readonly cacheDir: string
  readonly provider: Pick<Provider, 'name' | 'paid'>
  /** `render`'s options the review was given (`--provider`, `--concurrency`, `--max-cost`, `--out`). */
  readonly render: Pick<RenderOptions, 'provider' | 'concurrency' | 'maxCost'>
  readonly io: CliIo
}

/** A stream that hands each complete line it is written to `line`. */
function lineSink(line: (text: string) => void): CliIo['stdout'] {
  let rest = ''
  return {
    write(text: string) {
      rest += text
      for (let end = rest.indexOf('\n'); end >= 0; end = rest.indexOf('\n')) {
        const one = rest.slice(0, end)
        rest = rest.slice(end + 1)
        if (one.trim()) line(one)
      }
      return true
    },
  }
}

/** A `--json` event; anything else a render prints on stdout is shown as a note rather than lost. */
function parseEvent(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line)
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

const STATUS_BY_EXIT: Readonly<Record<number, string>> = {
  [EXIT.ok]: 'completed',
  [EXIT.interrupted]: 'interrupted',
}

/**
 * The review server's backend: the snapshot from core's plan and the scheduler's estimate, a pick as
 * `storyreel pick` writes it (core's `pickInFile`), and a render that is `storyreel render --json`
 * run in-process: its NDJSON events go to the page, its messages become `note` events, Ctrl-C is the
 * server's signal and the $5 confirmation is asked on the page.
 */
export function createReviewBackend(options: BackendOptions): ReviewBackend {
  const { io } = options
  return {
    runDir: options.runDir,
    snapshot: () =>
      reviewSnapshot({
        file: options.file,
        cwd: io.cwd,
        runDir: options.runDir,
        cacheDir: options.cacheDir,
        provider: options.provider,
      }),
    async pick(shot, take) {
      // As `storyreel pick` does: only a valid storyboard, only a take that was rendered, one line written.
      const loaded = await loadStoryboard(options.file, { cwd: io.cwd })
      if (!loaded.ok)
        throw new CliFailure(
          `${options.file} is not valid, so no take was picked: fix the errors shown first.`,
        )
      const planned = loaded.plan.shots.find((s) => s.id === shot)
      if (!planned) throw new CliFailure(`${options.file} has no shot ${JSON.stringify(shot)}.`)
      await requireRenderedTake(planned, take, options.runDir, {
        file: options.file,
        where: shortPath(io.cwd, options.runDir),
      })
      await pickInFile(options.file, shot, take, { cwd: io.cwd })
    },
    async render(call): Promise<RenderEnd> {
      let status: string | undefined
      let declined = false
      const note = (message: string) =>
        call.onEvent({
          type: 'note',
          message: message.replace(/^storyreel: /, ''),
          time: new Date().toISOString(),
        })
      const renderIo: CliIo = {
        ...io,
        isTTY: false,
        stdout: lineSink((line) => {
          const event = parseEvent(line)
          if (!event) return note(line)
          if (event.type === 'result' && typeof event.status === 'string') status = event.status
          call.onEvent(event)
        }),
        stderr: lineSink(note),
      }
      const code = await withFailureMessages(renderIo, () =>
        renderStoryboard(
          {
            file: options.file,
            out: options.runDir,
            yes: false,
            force: false,
            json: true,
            signal: call.signal,
            ask: async (message, cost) => {
              declined = !(await call.ask({ message, cost }))
              return !declined
            },
            ...options.render,
          },
          renderIo,
        ),
      )
      const end =
        status ??
        STATUS_BY_EXIT[code] ??
        (declined ? 'declined' : call.signal.aborted ? 'interrupted' : 'failed')
      io.stderr.write(`Render from the page: ${end}.\n`)
      return { status: end }
    },
  }
}
