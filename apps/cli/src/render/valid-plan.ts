import { closestMatch, loadStoryboard, type Plan } from '@storyreel/core'
import type { CliIo } from '../cli-io.ts'
import { UsageError } from '../command.ts'
import { escapeControl } from '../output/escape.ts'
import { printIssues } from '../output/issues.ts'

/** The storyboard's plan, its issues printed; undefined (and said why) when it is not valid. */
export async function loadValidPlan(file: string, io: CliIo): Promise<Plan | undefined> {
  const loaded = await loadStoryboard(file, { cwd: io.cwd })
  printIssues(loaded.issues, io)
  if (loaded.ok) return loaded.plan
  io.stderr.write(
    `${escapeControl(file)} is not valid: nothing was rendered. Fix the errors above and run again.\n`,
  )
  return undefined
}

/** `--only` naming a shot the storyboard does not have is a mistake in the command line, caught before anything is opened. */
export function checkOnly(only: readonly string[], plan: Plan): void {
  const ids = plan.shots.map((s) => s.id)
  const unknown = only.find((id) => !ids.includes(id))
  if (unknown === undefined) return
  const suggestion = closestMatch(unknown, ids)
  throw new UsageError(
    `--only names shot "${escapeControl(unknown)}", which the storyboard does not have${suggestion ? `; did you mean "${escapeControl(suggestion)}"?` : `. Its shots: ${ids.map(escapeControl).join(', ')}`}`,
    'render',
  )
}
