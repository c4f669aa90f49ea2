import type { CliIo } from '../../cli-io.ts'
import { escapeControl } from '../../output/escape.ts'
import type { Style } from '../../output/style.ts'
import { formatDuration, formatUsd } from '../../output/units.ts'
import type { RunState, ShotRecord } from '../run-state.ts'
import { type ProgressView, stateDetail } from './progress-view.ts'

/** One plain line per state change: for CI logs and pipes, where redrawing would make a mess. */
export function createLineView(
  out: CliIo['stderr'],
  options: { style: Style; now?: () => number },
): ProgressView {
  const colors = options.style
  const now = options.now ?? Date.now
  const last = new Map<string, string>()
  let phase: string | undefined
  return {
    shotChanged(run, shot) {
      const key = `${shot.state}|${stateDetail(shot)}`
      if (last.get(shot.id) === key) return
      last.set(shot.id, key)
      out.write(`${stamp(run, now())} ${escapeControl(shot.id)}: ${paint(colors, shot)}${suffix(shot)}\n`)
    },
    assembling(run) {
      // One line per phase: a log needs to know what is running, not every percent of it.
      if (!run.assembly || run.assembly.phase === phase) return
      phase = run.assembly.phase
      out.write(`${stamp(run, now())} stitching: ${phase}\n`)
    },
    note(text) {
      out.write(`${escapeControl(text)}\n`)
    },
    close(run) {
      const finished = run.shots.filter((s) => s.state === 'done' || s.state === 'cached').length
      out.write(
        `${stamp(run, now())} ${finished}/${run.shots.length} shots ready${run.paid ? `, ${formatUsd(run.spent)} spent` : ''}\n`,
      )
    },
  }
}

function stamp(run: RunState, at: number): string {
  return `[${formatDuration((at - run.startedAt) / 1000).padStart(8)}]`
}

function paint(colors: Style, shot: ShotRecord): string {
  if (shot.state === 'done' || shot.state === 'cached') return colors.green(shot.state)
  if (shot.state === 'failed') return colors.red(shot.state)
  if (shot.state === 'skipped') return colors.yellow(shot.state)
  return shot.state
}

function suffix(shot: ShotRecord): string {
  const detail = stateDetail(shot)
  return detail ? ` (${detail})` : ''
}
