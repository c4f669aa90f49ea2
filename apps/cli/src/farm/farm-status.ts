import { openFarmClient, redisUrlForDisplay } from '@storyreel/farm'
import type { CliIo } from '../cli-io.ts'
import { EXIT } from '../command.ts'
import { printJournalStatus } from '../render/run-status.ts'

/** `storyreel status RUN_ID --queue URL`: the run's state on the farm, then each shot's from its Redis journal. */
export async function showFarmStatus(
  runId: string,
  queue: string,
  options: { readonly json: boolean },
  io: CliIo,
): Promise<number> {
  const say = (text: string) => io.stderr.write(`${text}\n`)
  const farm = openFarmClient(queue, { onDown: say, onUp: say })
  try {
    const state = await farm.state(runId)
    const run = { runId, status: state.status, ...(state.finished ? { finished: state.finished } : {}) }
    if (!options.json)
      io.stdout.write(
        `Run ${runId}: ${state.status}${state.finished?.reel ? `, reel ${state.finished.reel} in the store` : state.finished ? `, report ${state.finished.report} in the store` : ''}\n`,
      )
    printJournalStatus(
      state.journal,
      state.meta.plan.shots.map((s) => s.id),
      { json: options.json, extra: run },
      io,
    )
    return EXIT.ok
  } finally {
    await farm.close()
  }
}

/** `storyreel cancel RUN_ID --queue URL`. */
export async function cancelFarmRun(runId: string, queue: string, io: CliIo): Promise<number> {
  const say = (text: string) => io.stderr.write(`${text}\n`)
  const farm = openFarmClient(queue, { onDown: say, onUp: say })
  try {
    const { dropped, inFlight } = await farm.cancel(runId)
    const records =
      inFlight > 0
        ? `${inFlight} shot(s) in flight finish into the clip cache (they are paid for), so rendering the storyboard again reuses them; then a worker`
        : 'A worker'
    io.stdout.write(
      `Canceled run ${runId}: ${dropped} queued shot job(s) dropped. ${records} writes the run's manifest and report (status interrupted, no reel, as a local Ctrl-C leaves a run): storyreel status ${runId} --queue ${redisUrlForDisplay(queue)} shows where.\n`,
    )
    return EXIT.ok
  } finally {
    await farm.close()
  }
}
