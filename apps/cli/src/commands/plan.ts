import { loadStoryboard, type Plan, shotCost } from '@storyreel/core'
import type { CliIo } from '../cli-io.ts'
import { type Command, EXIT, positiveIntegerOption, UsageError } from '../command.ts'
import { escapeControl } from '../output/escape.ts'
import { countIssues, issueJson, printIssues } from '../output/issues.ts'
import { JSON_VERSION } from '../output/json-version.ts'
import { describeImage, describeStart, drawChains, planJson, summarizePlan } from '../output/plan-view.ts'
import { createStyle } from '../output/style.ts'
import { formatTable } from '../output/table.ts'
import { formatDuration, formatUsd } from '../output/units.ts'

/** WaveSpeed's entry tier allows a handful of concurrent tasks; 4 stays well inside it. */
const DEFAULT_CONCURRENCY = 4

function printPlan(plan: Plan, file: string, concurrency: number, io: CliIo): void {
  const style = createStyle(io)
  const summary = summarizePlan(plan, concurrency)
  const out = (text = '') => io.stdout.write(`${text}\n`)

  out(`${style.bold(escapeControl(plan.title))}  ${style.dim(escapeControl(file))}`)
  out()
  // The takes column appears only when a shot has more than one, so a plain storyboard's plan reads as before.
  const withTakes = summary.totals.takes > summary.totals.shots
  const rows = plan.shots.map((shot) =>
    [
      String(shot.index + 1),
      shot.id,
      shot.model.alias,
      `${shot.params.duration} s`,
      ...(withTakes ? [shot.takes === 1 ? '1' : `${shot.takes}, pick ${shot.pick}`] : []),
      describeStart(shot.start, plan),
      shot.end ? describeImage(shot.end, plan) : '-',
      shot.dependsOn.length > 0 ? shot.dependsOn.join(', ') : '-',
      `${formatUsd(shotCost(shot))}${shot.model.priceSource === 'inferred' ? '*' : ' '}`,
    ].map(escapeControl),
  )
  const header = [
    '#',
    'shot',
    'model',
    'length',
    ...(withTakes ? ['takes'] : []),
    'starts from',
    'end image',
    'waits for',
    'price',
  ]
  io.stdout.write(formatTable(header, rows, [0, 3, header.length - 1]))
  out()

  const { totals } = summary
  const cost = totals.costEstimated
    ? `${formatUsd(totals.cost)} estimated (* price inferred, not published: ${escapeControl(summary.inferredPrices.join(', '))})`
    : formatUsd(totals.cost)
  const takes = withTakes ? ` · ${totals.takes} takes` : ''
  out(`${totals.shots} shots${takes} · ${totals.seconds} s of video · ${style.bold(cost)}`)
  out()

  out('Chains (each line renders in order; different lines render at the same time):')
  const endImageStarts = new Map(
    plan.shots.flatMap((shot) =>
      shot.start.kind === 'end-image' ? [[shot.id, shot.start.shot] as const] : [],
    ),
  )
  for (const line of drawChains(plan, summary.chains)) {
    // Only a chain's first shot can start from an end image: it waits for nothing.
    const head = /^[\s└]/.test(line) ? undefined : line.split(' → ')[0]!
    const from = head === undefined ? undefined : endImageStarts.get(head)
    out(
      `  ${escapeControl(line)}${from ? style.dim(`   (starts from the end image of ${escapeControl(from)}: no waiting)`) : ''}`,
    )
  }
  out()
  out(
    `Critical path: ${escapeControl(summary.criticalPath.shots.join(' → '))}, about ${formatDuration(summary.criticalPath.seconds)}`,
  )
  out(
    `Estimated wall-clock at concurrency ${concurrency}: about ${formatDuration(totals.estimatedWallClockSeconds)}` +
      (concurrency > 1 ? ` (one at a time: ${formatDuration(totals.sequentialSeconds)})` : ''),
  )
  const takesNote = withTakes
    ? ' Every take is a prediction of its own: prices and times count them all; chained shots wait for the picked take.'
    : ''
  out(style.dim(`Render times are estimates (README: "Estimates"); prices are per attempt.${takesNote}`))
}

export const planCommand: Command = {
  name: 'plan',
  usage: 'storyreel plan FILE [--concurrency N] [--json]',
  description: [
    'Validates the storyboard, then shows the shot list a render would execute: each',
    "shot's model, length, takes (when a shot has several), where its start image comes",
    'from, its end image, what it waits for and its price (every take counted); the',
    'totals; the chains (what renders in parallel); the critical path and the estimated',
    'wall-clock time at the given concurrency.',
    'Nothing is submitted and nothing costs money.',
  ].join('\n'),
  options: {
    concurrency: {
      type: 'string',
      short: 'c',
      valueName: 'N',
      description: `Shots rendered at the same time, for the time estimate (default ${DEFAULT_CONCURRENCY})`,
    },
    json: { type: 'boolean', description: 'Print the plan as JSON (stable shape, see the README)' },
  },
  examples: [
    'storyreel plan storyboards/storm-at-sea.yaml',
    'storyreel plan storyboards/storm-at-sea.yaml --concurrency 2',
    'storyreel plan my.yaml --json | jq .totals',
  ],
  async run({ values, positionals }, io) {
    if (positionals.length !== 1)
      throw new UsageError(`plan takes exactly one storyboard file, not ${positionals.length}`, 'plan')
    const concurrency = positiveIntegerOption(values, 'concurrency', DEFAULT_CONCURRENCY, 'plan')
    const file = positionals[0]!
    const result = await loadStoryboard(file, { cwd: io.cwd })
    if (!result.ok) {
      if (values.json)
        io.stdout.write(
          `${JSON.stringify({ version: JSON_VERSION, valid: false, issues: result.issues.map(issueJson) }, null, 2)}\n`,
        )
      else {
        printIssues(result.issues, io)
        io.stderr.write(`${countIssues(result.issues)}: fix them, then run plan again\n`)
      }
      return EXIT.failure
    }
    if (values.json) io.stdout.write(`${JSON.stringify(planJson(result.plan, concurrency), null, 2)}\n`)
    else {
      printIssues(result.issues, io)
      printPlan(result.plan, file, concurrency, io)
    }
    return EXIT.ok
  },
}
