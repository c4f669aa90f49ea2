import { type Command, UsageError } from '../command.ts'
import { withFailureMessages } from '../render/failure.ts'
import { showStatus } from '../render/run-status.ts'

export const statusCommand: Command = {
  name: 'status',
  usage: 'storyreel status RUN_DIR [--json] | storyreel status RUN_ID --queue URL [--json]',
  description: [
    "Reads RUN_DIR/journal.ndjson (safe while a render is running) and prints each shot's state,",
    'attempts, spend and prediction id; a shot with several takes gets a line per take with its own',
    'attempts, spend and prediction. A shot left "submitting" or "rendering" by an interrupted run',
    'is picked up, not paid again, when the same render command runs again. A finished shot whose',
    'storyboard picks a take never rendered in RUN_DIR is "stale": render it before `assemble`.',
    'With --queue URL: the state of a farm run (its id is what `render --queue` printed), from Redis.',
  ].join('\n'),
  options: {
    json: { type: 'boolean', description: 'Print the shots, spend and ledger as JSON' },
    queue: { type: 'string', valueName: 'URL', description: 'Read a farm run from the Redis at URL' },
  },
  examples: [
    'storyreel status renders/storm-at-sea',
    'storyreel status renders/storm-at-sea --json | jq .spent',
  ],
  run({ values, positionals }, io) {
    if (positionals.length !== 1)
      throw new UsageError('status needs exactly one run directory (or a run id with --queue)', 'status')
    if (typeof values.queue === 'string')
      return withFailureMessages(io, async () =>
        (await import('../farm/farm-status.ts')).showFarmStatus(
          positionals[0]!,
          values.queue as string,
          { json: values.json === true },
          io,
        ),
      )
    return withFailureMessages(io, () => showStatus(positionals[0]!, { json: values.json === true }, io))
  },
}
