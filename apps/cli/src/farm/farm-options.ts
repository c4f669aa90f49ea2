import { type OptionValues, positiveIntegerOption, UsageError } from '../command.ts'

/** `--key-concurrency N`, else STORYREEL_KEY_CONCURRENCY: the most predictions in flight for the key across the farm. */
export function keyConcurrencyOf(
  values: OptionValues,
  env: Readonly<Record<string, string | undefined>>,
  command: string,
): number | undefined {
  if (values['key-concurrency'] !== undefined)
    return positiveIntegerOption(values, 'key-concurrency', 1, command)
  const raw = env.STORYREEL_KEY_CONCURRENCY?.trim()
  if (!raw) return undefined
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new UsageError(
      `STORYREEL_KEY_CONCURRENCY must be a whole number of at least 1, not "${raw}"`,
      command,
    )
  return Number(raw)
}

/** A Redis URL option (`--redis`, `--queue`), required. */
export function redisUrlOf(values: OptionValues, name: string, command: string): string {
  const raw = values[name]
  if (typeof raw !== 'string' || raw.trim() === '')
    throw new UsageError(`${command} needs --${name} redis://HOST:PORT`, command)
  return raw.trim()
}
