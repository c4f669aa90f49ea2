import type { CliIo } from '../cli-io.ts'
import { escapeControl } from './escape.ts'
import { JSON_VERSION } from './json-version.ts'

/** One `--json` event line: `type`, the fields, `version` of the shape and `time`, as the progress views write them. */
export function jsonEvent(type: string, fields: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ type, ...fields, version: JSON_VERSION, time: new Date().toISOString() })}\n`
}

/**
 * Where a command's notices go (the estimate, the provider it chose, "interrupted", a failed shot's
 * message): a line on stderr, or with `--json` a `note` event on stdout, so a script reading stdout sees
 * every notice in the same stream, in order, and stderr only carries the error that ends a command.
 */
export function noticeWriter(io: Pick<CliIo, 'stdout' | 'stderr'>, json: boolean): (text: string) => void {
  return json
    ? (text) => io.stdout.write(jsonEvent('note', { message: text }))
    : (text) => io.stderr.write(`${escapeControl(text)}\n`)
}
