import { type Command, type OptionValues, UsageError } from '../command.ts'
import { keyConcurrencyOf } from '../farm/farm-options.ts'
import { withFailureMessages } from '../render/failure.ts'
import type { WebhookOptions } from '../render/open-provider.ts'
import { renderStoryboard } from '../render/render-storyboard.ts'
import { CONFIRM_ABOVE_USD } from '../render/spend-gate.ts'
import { portOf, RUN_OPTIONS, runFlagsOf } from '../run-options.ts'

/** `--webhook-url URL [--webhook-port N]`: completions delivered to URL, which reaches port N on 127.0.0.1. */
function webhookOption(values: OptionValues): WebhookOptions | undefined {
  const url = values['webhook-url']
  if (url === undefined) {
    if (values['webhook-port'] !== undefined)
      throw new UsageError(
        '--webhook-port needs --webhook-url: the public https address that reaches that port',
        'render',
      )
    return undefined
  }
  if (typeof url !== 'string' || !URL.canParse(url))
    throw new UsageError(
      `--webhook-url must be a URL such as https://example.trycloudflare.com, not "${String(url)}"`,
      'render',
    )
  const port = portOf(values, 'webhook-port', 1, 'render')
  if (port === undefined) return { url }
  return { url, port }
}

function onlyOption(values: OptionValues): string[] | undefined {
  const raw = values.only
  if (raw === undefined) return undefined
  const ids = String(raw)
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean)
  if (ids.length === 0) throw new UsageError('--only needs shot ids, e.g. --only deck,rescue', 'render')
  return ids
}

export const renderCommand: Command = {
  name: 'render',
  usage:
    'storyreel render FILE [--out DIR] [--provider wavespeed|animatic] [--concurrency N] [--max-cost USD] [--yes] [--only ID,...] [--force] [--json] [--queue URL [--detach] [--store DIR] [--key-concurrency N]]',
  description: [
    'Validates the storyboard, shows what the run will spend (shots already rendered excluded), renders',
    'every shot along its chains, then stitches the reel and writes manifest.json, contact-sheet.png and',
    'report.html into the output directory (default renders/<storyboard name>/).',
    '',
    'With WAVESPEED_API_KEY set it renders with Kling on WaveSpeed; without it, an offline animatic (free).',
    `A paid run estimated above $${CONFIRM_ABOVE_USD} asks first on a terminal, and needs --yes otherwise.`,
    'Ctrl-C stops submitting and exits 130; run the same command again to resume: predictions already',
    'paid for are re-attached, never paid twice. A second Ctrl-C quits at once.',
    'With --queue URL the run goes to a render farm (`storyreel worker`) instead: same estimate,',
    '--max-cost and confirmation, then the workers render it and this command follows it (--detach:',
    'print the run id and exit). Ctrl-C stops following; the farm goes on.',
    'Exit code: 0 reel written, 1 validation or render failure, 2 usage error, 130 interrupted.',
  ].join('\n'),
  options: {
    ...RUN_OPTIONS,
    yes: { type: 'boolean', short: 'y', description: 'Do not ask before spending' },
    only: {
      type: 'string',
      valueName: 'ID,...',
      description: 'Render only these shots; the rest come from earlier runs or are skipped',
    },
    force: {
      type: 'boolean',
      description: 'Render again even when a clip with the same inputs exists (with --only: just those)',
    },
    json: { type: 'boolean', description: 'Progress as newline-delimited JSON events on stdout' },
    queue: {
      type: 'string',
      valueName: 'URL',
      description: 'Render on the farm whose Redis is at URL (redis://HOST:PORT)',
    },
    detach: { type: 'boolean', description: 'With --queue: print the run id and exit without following' },
    store: {
      type: 'string',
      valueName: 'DIR',
      description: "With --queue: where this machine sees the farm's store (to print real paths)",
    },
    'key-concurrency': {
      type: 'string',
      valueName: 'N',
      description: 'With --queue: most predictions in flight for the key across the farm',
    },
    'webhook-url': {
      type: 'string',
      valueName: 'URL',
      description:
        'Have WaveSpeed deliver completions to URL (a tunnel to the port below); polling stays as the fallback',
    },
    'webhook-port': {
      type: 'string',
      valueName: 'N',
      description: 'Port on 127.0.0.1 the webhook receiver listens on (default: any free one, printed)',
    },
  },
  examples: [
    'storyreel render storyboards/storm-at-sea.yaml',
    'WAVESPEED_API_KEY=... storyreel render storm.yaml --max-cost 20 --yes',
    'storyreel render storm.yaml --only deck --force     # another take of one shot',
    'storyreel render storm.yaml --json | jq -c \'select(.type=="shot")\'',
    'storyreel render storm.yaml --queue redis://10.0.0.5:6379 --max-cost 20 --yes --detach',
    'storyreel render storm.yaml --webhook-url https://my-tunnel.example --webhook-port 8787   # cloudflared tunnel --url http://127.0.0.1:8787',
  ],
  run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('render needs exactly one storyboard file', 'render')
    const { out, concurrency, ...flags } = runFlagsOf(values, 'render')
    const only = onlyOption(values)
    const common = {
      file: positionals[0]!,
      yes: values.yes === true,
      force: values.force === true,
      json: values.json === true,
      ...flags,
      ...(only ? { only } : {}),
    }
    if (typeof values.queue === 'string') {
      if (values.out !== undefined || values.concurrency !== undefined || values['webhook-url'] !== undefined)
        throw new UsageError(
          '--out, --concurrency and --webhook-url are for a local render; on a farm the store and --key-concurrency decide',
          'render',
        )
      const keyConcurrency = keyConcurrencyOf(values, io.env, 'render')
      const farm = {
        queue: values.queue,
        detach: values.detach === true,
        ...(typeof values.store === 'string' ? { store: values.store } : {}),
        ...(keyConcurrency === undefined ? {} : { keyConcurrency }),
      }
      // BullMQ and ioredis are loaded only for a farm render, so a local render starts without them.
      return withFailureMessages(io, async () =>
        (await import('../farm/farm-render.ts')).renderOnFarm({ ...common, ...farm }, io),
      )
    }
    for (const flag of ['detach', 'store', 'key-concurrency'])
      if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --queue URL`, 'render')
    const webhook = webhookOption(values)
    const local = {
      ...common,
      ...(out !== undefined ? { out } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(webhook ? { webhook } : {}),
    }
    return withFailureMessages(io, () => renderStoryboard(local, io))
  },
}
