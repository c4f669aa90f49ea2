import { MODELS, priceOf } from '@storyreel/core'
import { type Command, EXIT, UsageError } from '../command.ts'
import { JSON_VERSION } from '../output/json-version.ts'
import { formatTable } from '../output/table.ts'
import { formatUsd } from '../output/units.ts'

export const modelsCommand: Command = {
  name: 'models',
  usage: 'storyreel models [--json]',
  description: [
    'Lists the models storyreel knows: the name to write in a storyboard, whether it',
    'turns text or an image into video, the clip lengths it renders, whether a shot may',
    'set end_image, and its price per 5 s and 10 s clip. Prices marked * are inferred',
    'from related models, not published by WaveSpeed.',
  ].join('\n'),
  options: {
    json: { type: 'boolean', description: 'Print the catalog as JSON' },
  },
  examples: ['storyreel models', 'storyreel models --json | jq ".models[].alias"'],
  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw new UsageError('models takes no arguments', 'models')
    if (values.json) {
      const models = MODELS.map((model) => ({
        id: model.id,
        alias: model.alias,
        aliases: model.aliases,
        mode: model.mode,
        durations: model.durations,
        params: Object.keys(model.params),
        endFrameField: model.endFrameField ?? null,
        endFrameRequired: model.endFrameRequired === true,
        price5s: priceOf(model, 5),
        price10s: priceOf(model, 10),
        priceSource: model.priceSource,
        outputHeight: model.outputHeight,
      }))
      io.stdout.write(`${JSON.stringify({ version: JSON_VERSION, models }, null, 2)}\n`)
      return EXIT.ok
    }
    const mark = (source: string) => (source === 'inferred' ? '*' : ' ')
    const rows = MODELS.map((model) => [
      model.alias,
      model.mode === 't2v' ? 'text → video' : 'image → video',
      model.durations.map((d) => `${d} s`).join(', '),
      model.endFrameRequired ? 'required' : model.endFrameField ? 'yes' : '-',
      formatUsd(priceOf(model, 5)) + mark(model.priceSource),
      formatUsd(priceOf(model, 10)) + mark(model.priceSource),
    ])
    io.stdout.write(formatTable(['model', 'makes', 'lengths', 'end_image', '5 s', '10 s'], rows, [4, 5]))
    io.stdout.write(
      [
        '',
        '* inferred price: WaveSpeed does not publish it; the bill may differ.',
        "end_image: whether a shot may set end_image (sent as the model's own field, end_image or last_image).",
        'Write the model name (or its full id, kwaivgi/...) as `model:` in a storyboard.',
        '',
      ].join('\n'),
    )
    return EXIT.ok
  },
}
