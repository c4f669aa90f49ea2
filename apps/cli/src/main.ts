import { parseArgs } from 'node:util'
import { type CliIo, processIo } from './cli-io.ts'
import { type Command, EXIT, UsageError } from './command.ts'
import { commands } from './commands/index.ts'
import { commandHelp, mainHelp } from './help.ts'
import { escapeControl } from './output/escape.ts'
import { STORYREEL_VERSION } from './render/version.ts'

/** The nearest known name, for "did you mean"; core is imported only on this error path, to keep start-up light. */
async function suggest(name: string, candidates: readonly string[]): Promise<string | undefined> {
  const { closestMatch } = await import('@storyreel/core')
  return closestMatch(name, [...candidates])
}

async function parseCommandArgs(command: Command, args: readonly string[]) {
  const options = Object.fromEntries(
    Object.entries(command.options).map(([name, spec]) => [
      name,
      {
        type: spec.type,
        ...(spec.short ? { short: spec.short } : {}),
        ...(spec.multiple ? { multiple: true } : {}),
      },
    ]),
  )
  try {
    return parseArgs({
      args: joinNegativeValues(command, args),
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    })
  } catch (error) {
    const message = (error as Error).message
    const unknown = /Unknown option '(-{1,2})([^']+)'/.exec(message)
    if (unknown) {
      const suggestion = await suggest(unknown[2]!, Object.keys(command.options))
      throw new UsageError(
        `unknown option ${unknown[1]}${unknown[2]} for ${command.name}${suggestion ? `; did you mean --${suggestion}?` : ''}`,
        command.name,
      )
    }
    throw new UsageError(
      message.split('. ')[0]!.replace(/^Option '([^']+)' argument missing/, '$1 needs a value'),
      command.name,
    )
  }
}

/**
 * `--max-cost -3` as `--max-cost=-3`: node's parseArgs refuses a value that starts with a dash
 * as ambiguous, so a negative number would never reach the option's own check and its message.
 */
function joinNegativeValues(command: Command, args: readonly string[]): string[] {
  const takesValue = new Set(
    Object.entries(command.options).flatMap(([name, spec]) =>
      spec.type === 'string' ? [`--${name}`, ...(spec.short ? [`-${spec.short}`] : [])] : [],
    ),
  )
  const joined: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    const next = args[i + 1]
    if (takesValue.has(arg) && next !== undefined && /^-[\d.]/.test(next)) {
      joined.push(
        `${arg.startsWith('--') ? arg : `--${Object.entries(command.options).find(([, spec]) => `-${spec.short}` === arg)![0]}`}=${next}`,
      )
      i++
    } else joined.push(arg)
  }
  return joined
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const target =
      name === 'help' && rest[0] ? commands.find((command) => command.name === rest[0]) : undefined
    io.stdout.write(target ? commandHelp(await target.load()) : mainHelp(commands))
    return EXIT.ok
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${STORYREEL_VERSION}\n`)
    return EXIT.ok
  }
  const entry = commands.find((candidate) => candidate.name === name)
  if (!entry) {
    const suggestion = await suggest(
      name,
      commands.map((candidate) => candidate.name),
    )
    const what = name.startsWith('-') ? `unknown option ${name}` : `unknown command "${name}"`
    throw new UsageError(`${what}${suggestion ? `; did you mean "${suggestion}"?` : ''}`)
  }
  const command = await entry.load()
  const { values, positionals } = await parseCommandArgs(command, rest)
  if (values.help) {
    io.stdout.write(commandHelp(command))
    return EXIT.ok
  }
  return command.run({ values, positionals }, io)
}

/**
 * Runs `storyreel ARGV` and returns its exit code: 0 success, 1 failure (invalid
 * storyboard, failed render), 2 usage error, 130 interrupted. Prints no stack
 * trace for anything the user can fix; set STORYREEL_DEBUG=1 to see one for a bug.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await dispatch(argv, io)
  } catch (error) {
    if (error instanceof UsageError) {
      const help = error.command ? `storyreel ${error.command} --help` : 'storyreel --help'
      io.stderr.write(`storyreel: ${escapeControl(error.message)}\nRun \`${help}\` for usage.\n`)
      return EXIT.usage
    }
    const detail = io.env.STORYREEL_DEBUG
      ? ((error as Error).stack ?? String(error))
      : String((error as Error).message ?? error)
    io.stderr.write(
      `storyreel: unexpected error: ${escapeControl(detail)}\nThis is a bug in storyreel; please report it with the command you ran (STORYREEL_DEBUG=1 shows details).\n`,
    )
    return EXIT.failure
  }
}
