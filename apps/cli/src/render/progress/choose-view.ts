import type { CliIo } from '../../cli-io.ts'
import { createStyle } from '../../output/style.ts'
import { createJsonView } from './json-view.ts'
import { createLineView } from './line-view.ts'
import type { ProgressView } from './progress-view.ts'
import { createTtyView } from './tty-view.ts'

export interface ViewTarget {
  readonly stream: CliIo['stderr']
  /** Whether `stream` is a terminal. */
  readonly isTTY: boolean
  readonly rows?: number
  readonly columns?: number
  readonly env: Readonly<Record<string, string | undefined>>
  readonly json: boolean
}

/** `--json` gives NDJSON; a terminal outside CI gets the live view; everything else plain lines. */
export function chooseView({ stream, isTTY, rows, columns, env, json }: ViewTarget): ProgressView {
  if (json) return createJsonView(stream)
  const style = createStyle({ stdout: stream, stderr: stream, cwd: '', env, isTTY })
  if (liveViewWanted(isTTY, env))
    return createTtyView(stream, { style, ...(rows ? { rows } : {}), ...(columns ? { columns } : {}) })
  return createLineView(stream, { style })
}

/** Redrawing in place: on a terminal that can move the cursor, outside CI logs. */
export function liveViewWanted(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  return isTTY && !env.CI && env.TERM !== 'dumb'
}
