import type { RunResult } from '@storyreel/scheduler'
import type { CliIo } from '../cli-io.ts'
import { EXIT } from '../command.ts'
import { escapeControl } from '../output/escape.ts'
import { noticeWriter } from '../output/notice.ts'
import { formatUsd } from '../output/units.ts'
import { machineCauseOf } from './failure.ts'
import type { Finished } from './finish-run.ts'
import { shortPath } from './run-location.ts'

/** Failures with their prediction ids, the machine cause if there is one, where the reel is; the exit code. */
export function printOutcome(
  result: Pick<RunResult, 'shots' | 'failures'> | undefined,
  finished: Finished,
  spent: number,
  json: boolean,
  io: CliIo,
): number {
  const say = noticeWriter(io, json)
  for (const failure of result?.failures ?? [])
    say(
      `${failure.shot}: failed${failure.predictionId ? ` (prediction ${failure.predictionId})` : ''}: ${failure.message}`,
    )
  for (const outcome of result?.shots ?? [])
    if (outcome.status === 'skipped') say(`${outcome.shot}: skipped: ${outcome.reason}`)
  const machineCause = machineCauseOf(result?.failures ?? [])
  if (machineCause) say(`storyreel: ${machineCause}`)
  if (!json) {
    if (finished.reel) io.stdout.write(`Reel: ${escapeControl(shortPath(io.cwd, finished.reel))}\n`)
    io.stdout.write(
      `Review: ${escapeControl(shortPath(io.cwd, finished.report))}\nSpent: ${formatUsd(spent)}\n`,
    )
  }
  if (finished.status === 'completed') return EXIT.ok
  if (!machineCause)
    say(
      'Not every shot rendered, so there is no reel. Fix the failures above (transient ones often pass on a second try) and run the same command again; finished shots are kept and paid predictions are not paid again.',
    )
  return EXIT.failure
}
