import { type Command, UsageError } from '../command.ts'
import { withFailureMessages } from '../render/failure.ts'
import { reassemble } from '../render/reassemble.ts'

export const assembleCommand: Command = {
  name: 'assemble',
  usage: 'storyreel assemble RUN_DIR [--json]',
  description: [
    "Re-reads the storyboard the run's manifest names, so changes to transitions, trims, the output size",
    'or the soundtrack apply, and stitches the clips already in RUN_DIR/shots. Nothing is submitted.',
    'Only what an edit changed is encoded again (the mezzanines and transition pieces are kept in RUN_DIR/.work).',
    'After `storyreel pick`, the picked take is stitched in; when shots are chained after it, they must',
    'render again first: assemble then stops and prints the render command. So it does when a picked',
    'take was never rendered in RUN_DIR (a hand-edited `pick:`): it names the shot and take, and writes nothing.',
    'The manifest, contact sheet and report are rewritten. Exit code: 0 reel written, 1 failure, 2 usage error.',
  ].join('\n'),
  options: {
    json: {
      type: 'boolean',
      description: 'Progress as newline-delimited JSON events (assemble, note, result) on stdout',
    },
  },
  examples: [
    'storyreel assemble renders/storm-at-sea',
    'storyreel assemble renders/storm-at-sea   # after changing a transition in the storyboard',
  ],
  run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('assemble needs exactly one run directory', 'assemble')
    return withFailureMessages(io, () => reassemble(positionals[0]!, { json: values.json === true }, io))
  },
}
