import {
  type OptionSpec,
  type OptionValues,
  positiveIntegerOption,
  UsageError,
  usdOption,
} from './command.ts'

/**
 * The options of a render that `render` and `review` (whose page renders) share: declared and parsed
 * here once, so both commands take the same flags with the same help and the same messages.
 */
export const RUN_OPTIONS = {
  out: {
    type: 'string',
    short: 'o',
    valueName: 'DIR',
    description: 'Run directory (default renders/<storyboard name>/)',
  },
  provider: {
    type: 'string',
    valueName: 'NAME',
    description: 'wavespeed or animatic (default: wavespeed when WAVESPEED_API_KEY is set)',
  },
  concurrency: {
    type: 'string',
    short: 'c',
    valueName: 'N',
    description: 'Shots rendering at once (default 4 on WaveSpeed, 2 for animatics)',
  },
  'max-cost': {
    type: 'string',
    valueName: 'USD',
    description: 'Refuse to start a render above this estimate; stop retrying before passing it',
  },
} as const satisfies Record<string, OptionSpec>

export interface RunFlags {
  readonly out?: string
  readonly provider?: 'wavespeed' | 'animatic'
  readonly concurrency?: number
  readonly maxCost?: number
}

/** `RUN_OPTIONS` parsed: a mistake is a `UsageError` naming `command`. Unset flags are left out. */
export function runFlagsOf(values: OptionValues, command: string): RunFlags {
  const concurrency =
    values.concurrency === undefined ? undefined : positiveIntegerOption(values, 'concurrency', 1, command)
  const maxCost = usdOption(values, 'max-cost', command)
  const provider = values.provider
  if (provider !== undefined && provider !== 'wavespeed' && provider !== 'animatic')
    throw new UsageError(`--provider must be wavespeed or animatic, not "${String(provider)}"`, command)
  return {
    ...(typeof values.out === 'string' ? { out: values.out } : {}),
    ...(provider !== undefined ? { provider } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(maxCost !== undefined ? { maxCost } : {}),
  }
}

/** A `--NAME N` port on 127.0.0.1 (`review --port`, `render --webhook-port`): from `min` (0: any free one) to 65535. */
export function portOf(values: OptionValues, name: string, min: 0 | 1, command: string): number | undefined {
  const raw = values[name]
  if (raw === undefined) return undefined
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > 65535)
    throw new UsageError(
      `--${name} must be a port number from ${min} to 65535, not "${String(raw)}"`,
      command,
    )
  return Number(raw)
}
