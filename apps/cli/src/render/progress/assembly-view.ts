import type { CliIo } from '../../cli-io.ts'
import { escapeControl } from '../../output/escape.ts'
import { JSON_VERSION } from '../../output/json-version.ts'
import type { AssemblyProgress } from '../assemble-outputs.ts'

/** What `storyreel assemble` shows while it stitches: the same `assemble` events and bar as a render's. */
export interface AssemblyView {
  progress(progress: AssemblyProgress): void
  note(text: string): void
  close(): void
}

/**
 * `--json`: an `assemble` event per change of phase or whole percent; a terminal: one line
 * redrawn in place (`[#####---] join 45%`); anything else: one line per phase.
 */
export function createAssemblyView(
  out: CliIo['stderr'],
  options: { readonly json: boolean; readonly live: boolean },
): AssemblyView {
  let last = ''
  let drawn = false
  let best = 0
  let bestPhase = ''
  const erase = () => {
    if (drawn) out.write('\r\x1b[K')
    drawn = false
  }
  return {
    progress({ phase, fraction }) {
      // Jobs running side by side report their fractions in turns; within a phase the bar only moves forward.
      best = phase === bestPhase ? Math.max(best, fraction) : fraction
      bestPhase = phase
      const percent = Math.floor(Math.min(1, Math.max(0, best)) * 100)
      const key = options.json || options.live ? `${phase}|${percent}` : phase
      if (key === last) return
      last = key
      if (options.json)
        out.write(
          `${JSON.stringify({ type: 'assemble', version: JSON_VERSION, phase, percent, time: new Date().toISOString() })}\n`,
        )
      else if (options.live) {
        erase()
        const filled = Math.round((percent / 100) * 24)
        out.write(`[${'#'.repeat(filled)}${'-'.repeat(24 - filled)}] stitching: ${phase} ${percent}%`)
        drawn = true
      } else out.write(`stitching: ${phase}\n`)
    },
    note(text) {
      if (options.json)
        out.write(
          `${JSON.stringify({ type: 'note', version: JSON_VERSION, message: text, time: new Date().toISOString() })}\n`,
        )
      else {
        erase()
        out.write(`${escapeControl(text)}\n`)
      }
    },
    close() {
      if (drawn) out.write('\n')
      drawn = false
    },
  }
}
