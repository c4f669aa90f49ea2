import type { CliIo } from '../../cli-io.ts'
import { escapeControl } from '../../output/escape.ts'
import type { Style } from '../../output/style.ts'
import { formatDuration, formatUsd } from '../../output/units.ts'
import { displayWidth, fit, pad } from '../../output/width.ts'
import { FINAL_STATES, type RunState, type ShotRecord } from '../run-state.ts'
import { estimateRemainingMs } from './estimate-remaining.ts'
import { assemblyPercent, type ProgressView, stateDetail } from './progress-view.ts'

const REDRAW_MS = 100
const TICK_MS = 500

export interface TtyViewOptions {
  readonly style: Style
  /** Terminal height: with more shots than fit, finished shots fold into the summary line. */
  readonly rows?: number
  readonly columns?: number
  readonly now?: () => number
}

/**
 * A live block redrawn in place: a line per shot (state, elapsed, attempt),
 * then an overall bar with spend and time left. Notes print above the block.
 */
export function createTtyView(out: CliIo['stderr'], options: TtyViewOptions): ProgressView {
  const colors = options.style
  const now = options.now ?? Date.now
  let drawn = 0
  let latest: RunState | undefined
  let pending: NodeJS.Timeout | undefined
  const ticker = setInterval(() => latest && draw(latest), TICK_MS)
  ticker.unref()

  const erase = () => {
    if (drawn > 0) out.write(`\x1b[${drawn}F\x1b[J`)
    drawn = 0
  }
  const draw = (run: RunState) => {
    const lines = frame(run, colors, now(), options.rows ?? 40, options.columns ?? 100)
    erase()
    out.write(`${lines.join('\n')}\n`)
    drawn = lines.length
  }
  // Redraws at most every REDRAW_MS, however many events arrive.
  const changed = (run: RunState) => {
    latest = run
    pending ??= setTimeout(() => {
      pending = undefined
      draw(run)
    }, REDRAW_MS)
  }
  return {
    shotChanged: changed,
    assembling: changed,
    note(text) {
      erase()
      out.write(`${escapeControl(text)}\n`)
      if (latest) draw(latest)
    },
    close(run) {
      clearInterval(ticker)
      if (pending) clearTimeout(pending)
      pending = undefined
      draw(run)
      // The final picture stays; later notes print below it instead of redrawing it.
      drawn = 0
      latest = undefined
    },
  }
}

export function frame(run: RunState, colors: Style, at: number, rows: number, columns: number): string[] {
  const room = Math.max(1, rows - 3)
  const visible =
    run.shots.length <= room ? run.shots : run.shots.filter((s) => !FINAL_STATES.has(s.state)).slice(0, room)
  const idWidth = Math.min(24, Math.max(...run.shots.map((s) => displayWidth(escapeControl(s.id))), 4))
  const lines = visible.map((shot) => shotLine(shot, colors, at, idWidth, columns))
  const final = run.shots.filter((s) => FINAL_STATES.has(s.state)).length
  const left = estimateRemainingMs(run, at)
  const percent = assemblyPercent(run)
  const summary = [
    `[${bar(run.assembly ? run.assembly.fraction : run.shots.length ? final / run.shots.length : 1, 24)}]`,
    ...(run.assembly ? [`stitching: ${run.assembly.phase} ${percent}%`] : []),
    `${final}/${run.shots.length} shots`,
    ...(run.paid ? [`${formatUsd(run.spent)} of ~${formatUsd(run.estimate)}`] : []),
    `elapsed ${formatDuration((at - run.startedAt) / 1000)}`,
    `left ${left === undefined ? '?' : formatDuration(left / 1000)}`,
  ].join('  ')
  // Cut before styling: a line wider than the terminal wraps, and the redraw would then erase too few lines.
  lines.push(colors.bold(fit(summary, columns)))
  return lines
}

function shotLine(shot: ShotRecord, colors: Style, at: number, idWidth: number, columns: number): string {
  const icon =
    {
      done: colors.green('✓'),
      cached: colors.green('='),
      failed: colors.red('✗'),
      skipped: colors.yellow('-'),
    }[shot.state as string] ?? colors.dim('…')
  const since = shot.submittedAt ?? shot.queuedAt
  const end = shot.completedAt ?? at
  const elapsed =
    since === undefined || shot.state === 'cached' || shot.state === 'waiting'
      ? ''
      : formatDuration((end - since) / 1000)
  const text = `${pad(fit(escapeControl(shot.id), idWidth), idWidth)}  ${shot.state.padEnd(11)} ${elapsed.padStart(7)}  `
  const room = Math.max(0, columns - 2 - displayWidth(text))
  return `${icon} ${fit(text, columns - 2)}${colors.dim(fit(stateDetail(shot), room))}`
}

function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width)
  return '#'.repeat(filled) + '-'.repeat(width - filled)
}
