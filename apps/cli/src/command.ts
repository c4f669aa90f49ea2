import type { CliIo } from './cli-io.ts'

/** Exit codes every command uses. */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const

export interface OptionSpec {
  readonly type: 'string' | 'boolean'
  readonly short?: string
  readonly multiple?: boolean
  /** Shown in help: `--concurrency N`. */
  readonly valueName?: string
  readonly description: string
}

export type OptionValues = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>

/**
 * One `storyreel` subcommand. Adding a command is one file in `commands/` that
 * exports a `Command`, plus one entry (name, summary, loader) in `commands/index.ts`.
 */
export interface Command {
  readonly name: string
  /** `storyreel plan FILE [--concurrency N] [--json]` */
  readonly usage: string
  /** A paragraph or two for `storyreel NAME --help`. */
  readonly description: string
  readonly options: Readonly<Record<string, OptionSpec>>
  readonly examples: readonly string[]
  run(
    input: { readonly values: OptionValues; readonly positionals: readonly string[] },
    io: CliIo,
  ): Promise<number>
}

/** A mistake in how the command was called: printed with a hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
  /** The command whose help the hint points to. */
  readonly command: string | undefined

  constructor(message: string, command?: string) {
    super(message)
    this.command = command
  }
}

/** A `--name N` option that must be a positive whole number. */
export function positiveIntegerOption(
  values: OptionValues,
  name: string,
  fallback: number,
  command: string,
): number {
  const raw = values[name]
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || value < 1) {
    throw new UsageError(`--${name} must be a whole number of at least 1, not "${String(raw)}"`, command)
  }
  return value
}

/** A `--name USD` option: an amount of dollars, 0 or more. */
export function usdOption(values: OptionValues, name: string, command: string): number | undefined {
  const raw = values[name]
  if (raw === undefined) return undefined
  const usd = Number(raw)
  if (typeof raw !== 'string' || !Number.isFinite(usd) || usd < 0)
    throw new UsageError(
      `--${name} must be an amount in USD such as 10 or 2.50, not "${String(raw)}"`,
      command,
    )
  return usd
}
