import type { Writable } from 'node:stream'
import { colorWanted } from './format.ts'
import { createJsonView } from './json-view.ts'
import { createLineView } from './line-view.ts'
import type { ProgressView } from './progress-view.ts'
import { createTtyView } from './tty-view.ts'

export interface ViewTarget {
  readonly stream: Writable & { isTTY?: boolean; rows?: number; columns?: number }
  readonly env: NodeJS.ProcessEnv
  readonly json: boolean
}

/** `--json` gives NDJSON; a terminal outside CI gets the live view; everything else plain lines. */
export function chooseView({ stream, env, json }: ViewTarget): ProgressView {
  if (json) return createJsonView(stream)
  const tty = stream.isTTY === true
  const color = colorWanted(tty, env)
  if (tty && !env.CI) return createTtyView(stream, { color, rows: stream.rows, columns: stream.columns })
  return createLineView(stream, { color })
}
