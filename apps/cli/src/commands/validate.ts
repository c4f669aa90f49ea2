import { type LoadResult, loadStoryboard, planTotals } from '@storyreel/core'
import { type Command, EXIT, UsageError } from '../command.ts'
import { escapeControl } from '../output/escape.ts'
import { countIssues, issueJson, printIssues } from '../output/issues.ts'
import { JSON_VERSION } from '../output/json-version.ts'
import { createStyle } from '../output/style.ts'
import { formatUsd } from '../output/units.ts'

function describeValid(result: Extract<LoadResult, { ok: true }>): string {
  const totals = planTotals(result.plan)
  const takes = totals.takes > totals.shots ? ` (${totals.takes} takes)` : ''
  return `${totals.shots} shot${totals.shots === 1 ? '' : 's'}${takes}, ${totals.seconds} s of video, ${formatUsd(totals.cost)}`
}

export const validateCommand: Command = {
  name: 'validate',
  usage: 'storyreel validate FILE... [--json]',
  description: [
    'Checks each storyboard against the language (the JSON Schema), the model catalog',
    '(params, durations, end frames), the chaining rules and the image files, and reports',
    'every problem at once. Exit code: 0 all valid, 1 a problem was found, 2 usage error.',
  ].join('\n'),
  options: {
    json: { type: 'boolean', description: 'Print the findings as JSON on stdout' },
  },
  examples: [
    'storyreel validate storyboards/storm-at-sea.yaml',
    'storyreel validate storyboards/*.yaml',
    'storyreel validate my.yaml --json | jq .files[0].issues',
  ],
  async run({ values, positionals }, io) {
    if (positionals.length === 0)
      throw new UsageError('validate needs at least one storyboard file', 'validate')
    const results: { file: string; result: LoadResult }[] = []
    for (const file of positionals)
      results.push({ file, result: await loadStoryboard(file, { cwd: io.cwd }) })
    const invalid = results.filter(({ result }) => !result.ok)

    if (values.json) {
      const files = results.map(({ file, result }) => ({
        file,
        valid: result.ok,
        issues: result.issues.map(issueJson),
      }))
      io.stdout.write(
        `${JSON.stringify({ version: JSON_VERSION, valid: invalid.length === 0, files }, null, 2)}\n`,
      )
      return invalid.length === 0 ? EXIT.ok : EXIT.failure
    }

    const style = createStyle(io)
    for (const { file, result } of results) {
      printIssues(result.issues, io)
      if (result.ok)
        io.stdout.write(`${style.green('valid')} ${escapeControl(file)}: ${describeValid(result)}\n`)
    }
    const all = results.flatMap(({ result }) => result.issues)
    if (invalid.length > 0) {
      const files = results.length === 1 ? '' : ` in ${invalid.length} of ${results.length} files`
      io.stderr.write(`${style.bold(`${countIssues(all)}${files}`)}\n`)
      return EXIT.failure
    }
    if (all.length > 0) io.stderr.write(`${countIssues(all)}\n`)
    return EXIT.ok
  },
}
