import { type Command, UsageError } from '../command.ts'
import { redisUrlOf } from '../farm/farm-options.ts'
import { cancelFarmRun } from '../farm/farm-status.ts'
import { withFailureMessages } from '../render/failure.ts'

export const cancelCommand: Command = {
  name: 'cancel',
  usage: 'storyreel cancel RUN_ID --queue URL',
  description: [
    'Stops a run that `storyreel render --queue` enqueued: its queued shots are dropped and nothing new',
    'is submitted. Shots whose predictions are already in flight are paid for, so they finish into the',
    'clip cache: rendering the same storyboard again reuses them.',
  ].join('\n'),
  options: {
    queue: { type: 'string', valueName: 'URL', description: "The farm's Redis, e.g. redis://127.0.0.1:6379" },
  },
  examples: ['storyreel cancel storm-at-sea-m1x2y3-a1b2c3 --queue redis://127.0.0.1:6379'],
  run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('cancel needs exactly one run id', 'cancel')
    const queue = redisUrlOf(values, 'queue', 'cancel')
    return withFailureMessages(io, () => cancelFarmRun(positionals[0]!, queue, io))
  },
}
