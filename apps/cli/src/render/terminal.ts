import type { Readable } from 'node:stream'
import type { CliIo } from '../cli-io.ts'

/** What the live progress view and the spend prompt need beyond `CliIo`: stdin, and whether stderr is a terminal. */
export interface Terminal {
  readonly stdin: Readable
  /** Progress goes to stderr; true when that is a terminal. */
  readonly stderrIsTTY: boolean
  /** Both stdin and stderr are terminals, so a question can be asked and answered. */
  readonly interactive: boolean
  readonly rows?: number
  readonly columns?: number
}

/** The process's terminal when `io` writes to the process's stderr; otherwise (tests) none. */
export function terminalOf(io: CliIo): Terminal {
  const own = io.stderr === process.stderr
  const stderrIsTTY = own && process.stderr.isTTY === true
  return {
    stdin: process.stdin,
    stderrIsTTY,
    interactive: stderrIsTTY && process.stdin.isTTY === true,
    ...(stderrIsTTY ? { rows: process.stderr.rows, columns: process.stderr.columns } : {}),
  }
}
