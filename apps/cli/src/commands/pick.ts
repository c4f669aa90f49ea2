import { type Command, UsageError } from '../command.ts'
import { withFailureMessages } from '../render/failure.ts'
import { pickTake } from '../render/pick-take.ts'

export const pickCommand: Command = {
  name: 'pick',
  usage: 'storyreel pick FILE SHOT TAKE [--out DIR] [--provider wavespeed|animatic] [--json]',
  description: [
    'Writes `pick: TAKE` into the shot in FILE, changing one line (comments, key order and formatting',
    'kept), validates the storyboard, and prints which shots must render again (those chained after the',
    "shot start from the new take's last frame) and what that costs. Nothing is rendered or paid:",
    '`storyreel render FILE` then renders exactly those shots and stitches the reel again.',
    'The take must have been rendered in the run directory (default renders/<storyboard name>/).',
    'Exit code: 0 picked, 1 unknown shot, take not rendered or invalid storyboard, 2 usage error.',
  ].join('\n'),
  options: {
    out: {
      type: 'string',
      short: 'o',
      valueName: 'DIR',
      description: 'Run directory the takes were rendered in (default renders/<storyboard name>/)',
    },
    provider: {
      type: 'string',
      valueName: 'NAME',
      description: 'Price the re-render for this provider (default: the one the run directory used)',
    },
    json: { type: 'boolean', description: 'Print the pick and the stale shots as JSON' },
  },
  examples: [
    'storyreel pick storyboards/storm-at-sea.yaml storm 2',
    'storyreel pick storm.yaml deck 3 --out renders/storm-v2',
  ],
  run({ values, positionals }, io) {
    if (positionals.length !== 3)
      throw new UsageError('pick needs a storyboard file, a shot id and a take number', 'pick')
    const [file, shot, raw] = positionals as [string, string, string]
    if (!/^\d+$/.test(raw) || Number(raw) < 1)
      throw new UsageError(`TAKE must be a take number such as 2, not ${JSON.stringify(raw)}`, 'pick')
    return withFailureMessages(io, () =>
      pickTake(
        {
          file,
          shot,
          take: Number(raw),
          json: values.json === true,
          ...(typeof values.out === 'string' ? { out: values.out } : {}),
          ...(typeof values.provider === 'string' ? { provider: values.provider } : {}),
        },
        io,
      ),
    )
  },
}
