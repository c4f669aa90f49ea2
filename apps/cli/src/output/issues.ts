import { formatIssue, type Issue } from '@storyreel/core'
import type { CliIo } from '../cli-io.ts'
import { escapeControl } from './escape.ts'
import { createStyle } from './style.ts'

/** Writes findings to stderr, one `file:line:col: message` line each. */
export function printIssues(issues: readonly Issue[], io: CliIo): void {
  const style = createStyle(io)
  for (const issue of issues) {
    const line = escapeControl(formatIssue(issue))
    io.stderr.write(`${issue.severity === 'error' ? style.red(line) : style.yellow(line)}\n`)
  }
}

/** "3 errors, 1 warning". */
export function countIssues(issues: readonly Issue[]): string {
  const errors = issues.filter((issue) => issue.severity === 'error').length
  const warnings = issues.length - errors
  const parts = [`${errors} error${errors === 1 ? '' : 's'}`]
  if (warnings > 0) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`)
  return parts.join(', ')
}

/** The JSON form of a finding (stable: documented in the README). */
export function issueJson(issue: Issue) {
  return {
    code: issue.code,
    severity: issue.severity,
    file: issue.file,
    line: issue.line,
    col: issue.col,
    message: issue.message,
  }
}
