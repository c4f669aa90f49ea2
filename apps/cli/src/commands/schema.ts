import { storyboardSchema } from '@storyreel/core'
import { type Command, EXIT, UsageError } from '../command.ts'

export const schemaCommand: Command = {
  name: 'schema',
  usage: 'storyreel schema',
  description: [
    'Prints the JSON Schema (draft-07) of the storyboard language. Editors with a YAML',
    'language server use it for completion and help when a storyboard starts with',
    '# yaml-language-server: $schema=<path or URL of the schema>',
  ].join('\n'),
  options: {},
  examples: ['storyreel schema > storyboard.schema.json'],
  async run({ positionals }, io) {
    if (positionals.length > 0) throw new UsageError('schema takes no arguments', 'schema')
    io.stdout.write(`${JSON.stringify(storyboardSchema, null, 2)}\n`)
    return EXIT.ok
  },
}
