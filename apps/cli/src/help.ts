import type { Command } from './command.ts'
import type { CommandEntry } from './commands/index.ts'

function optionLines(options: Command['options']): string[] {
  const entries = Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.valueName ? ` ${spec.valueName}` : ''}`
    return [flag, spec.description] as const
  })
  entries.push(['-h, --help', 'Show this help'])
  const width = Math.max(...entries.map(([flag]) => flag.length))
  return entries.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`)
}

export function commandHelp(command: Command): string {
  return [
    `Usage: ${command.usage}`,
    '',
    command.description,
    '',
    'Options:',
    ...optionLines(command.options),
    '',
    'Examples:',
    ...command.examples.map((example) => `  ${example}`),
    '',
  ].join('\n')
}

export function mainHelp(commands: readonly CommandEntry[]): string {
  const width = Math.max(...commands.map((command) => command.name.length))
  return [
    'storyreel: turn a YAML storyboard into a multi-shot video with Kling on WaveSpeed',
    '',
    'Usage: storyreel <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Options:',
    '  -h, --help     Show this help (`storyreel <command> --help` for a command)',
    '  -v, --version  Show the version',
    '',
    'Examples:',
    '  storyreel validate storyboards/storm-at-sea.yaml',
    '  storyreel plan storyboards/storm-at-sea.yaml',
    '',
  ].join('\n')
}
