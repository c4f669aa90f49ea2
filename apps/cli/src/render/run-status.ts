import { resolve } from 'node:path'
import { loadStoryboard } from '@storyreel/core'
import {
  type JournalSummary,
  ledgerSpend,
  openFileRunStore,
  readJournal,
  type ShotJournalState,
  type ShotJournalStatus,
} from '@storyreel/scheduler'
import type { CliIo } from '../cli-io.ts'
import { EXIT } from '../command.ts'
import { escapeControl } from '../output/escape.ts'
import { JSON_VERSION } from '../output/json-version.ts'
import { createStyle } from '../output/style.ts'
import { formatUsd } from '../output/units.ts'
import { displayWidth, pad } from '../output/width.ts'
import { CliFailure } from './failure.ts'
import { type Manifest, readManifest } from './manifest.ts'
import { type UnrenderedPick, unrenderedPicks } from './unrendered-picks.ts'

/**
 * A shot as `status` shows it: the journal's state, or `stale` for a finished shot whose storyboard picks a
 * take the run never rendered (`shots/<id>.mp4` holds another one), with that `pick`.
 */
type StatusShot = Omit<ShotJournalStatus, 'state'> & {
  readonly state: ShotJournalState | 'stale'
  readonly pick?: number
}
type StatusSummary = Omit<JournalSummary, 'shots'> & { readonly shots: readonly StatusShot[] }

/**
 * `storyreel status RUN_DIR`: each shot's state as the journal records it,
 * in storyboard order when a manifest says what that order is. Spend is what
 * the journal recorded: nothing for a free provider, refunds excluded.
 */
export async function showStatus(
  runRoot: string,
  options: { readonly json: boolean },
  io: CliIo,
): Promise<number> {
  const store = openFileRunStore(resolve(io.cwd, runRoot))
  const summary = await readJournal(store)
  if (summary.shots.length === 0)
    throw new CliFailure(
      `${runRoot} has no journal: nothing was rendered there yet. Start with: storyreel render FILE --out ${runRoot}`,
    )
  const manifest = await readManifest(store.layout.manifest).catch(() => undefined)
  const picks = manifest ? await picksWithoutClip(manifest, summary, io.cwd) : []
  const render = `storyreel render ${manifest?.storyboard.path ?? 'FILE'} --out ${runRoot}`
  printJournalStatus(markStale(summary, picks, render), manifest?.shots.map((s) => s.id) ?? [], options, io)
  return EXIT.ok
}

/**
 * The picks in the storyboard the run was rendered from (as it reads now) that have no clip: a hand edit
 * `assemble` refuses. Nothing when the storyboard is gone or invalid: the journal alone is shown then.
 */
async function picksWithoutClip(
  manifest: Manifest,
  summary: JournalSummary,
  cwd: string,
): Promise<readonly UnrenderedPick[]> {
  const loaded = await loadStoryboard(manifest.storyboard.path, { cwd }).catch(() => undefined)
  if (!loaded?.ok) return []
  return unrenderedPicks(loaded.plan, new Map(summary.shots.map((s) => [s.shot, s])))
}

/** A finished shot whose picked take has no clip is not done: `stale`, saying which take and what to run. */
function markStale(summary: JournalSummary, picks: readonly UnrenderedPick[], render: string): StatusSummary {
  return {
    ...summary,
    shots: summary.shots.map((s): StatusShot => {
      const pick = picks.find((p) => p.shot === s.shot)
      if (!pick || s.state !== 'done') return s
      return {
        ...s,
        state: 'stale',
        pick: pick.take,
        message: `take ${pick.take} is picked but not rendered: ${render}`,
      }
    }),
  }
}

/** Each shot's journal state, in `order` (storyboard order) where known; `extra` joins the JSON. */
export function printJournalStatus(
  summary: StatusSummary,
  order: readonly string[],
  options: { readonly json: boolean; readonly extra?: object },
  io: CliIo,
): void {
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length)
  const shots = [...summary.shots].sort((a, b) => rank(a.shot) - rank(b.shot))
  if (options.json) {
    const listed = shots.map(({ clip, ...s }) => ({
      ...s,
      ...(s.state === 'done' && clip ? { clip: clip.file } : {}),
      takes: takesWithAttempts(s, summary.ledger),
    }))
    io.stdout.write(
      `${JSON.stringify({ version: JSON_VERSION, ...options.extra, shots: listed, spent: summary.spent, ledger: summary.ledger })}\n`,
    )
    return
  }
  const colors = createStyle(io)
  const paint = (state: string) =>
    state === 'done'
      ? colors.green(state)
      : state === 'failed'
        ? colors.red(state)
        : state === 'skipped' || state === 'stale'
          ? colors.yellow(state)
          : state
  const width = Math.max(10, ...shots.map((s) => displayWidth(escapeControl(s.shot))))
  io.stdout.write(
    `${pad('shot', width)}  ${'state'.padEnd(11)}  attempts  ${'spent'.padStart(7)}  prediction / note\n`,
  )
  for (const s of shots) {
    const note = escapeControl([s.predictionId, s.message].filter(Boolean).join('  '))
    const takes = takeRows(s, summary.ledger)
    // A shot with several takes: its attempts are each take's, on the take's own line.
    const attempts = takes.length > 1 ? '-' : String(s.attempts)
    io.stdout.write(
      `${pad(escapeControl(s.shot), width)}  ${paint(s.state.padEnd(11))}  ${attempts.padStart(8)}  ${formatUsd(s.spent).padStart(7)}  ${note}\n`,
    )
    if (takes.length > 1)
      for (const t of takes)
        io.stdout.write(
          `${pad(`  take ${t.take}`, width)}  ${paint((t.clip ? 'done' : 'no clip').padEnd(11))}  ${String(t.attempts).padStart(8)}  ${formatUsd(t.spent).padStart(7)}  ${escapeControl(t.predictionId ?? '')}\n`,
        )
  }
  const done = shots.filter((s) => s.state === 'done').length
  io.stdout.write(
    `${done}/${shots.length} shots done, ${formatUsd(summary.spent)} spent on ${summary.ledger.length} prediction${summary.ledger.length === 1 ? '' : 's'}\n`,
  )
}

interface TakeRow {
  readonly take: number
  /** Predictions created for this take (a retry is a second one). */
  readonly attempts: number
  readonly spent: number
  readonly predictionId?: string
  readonly clip: boolean
}

/** Each take the journal knows of (a prediction or a clip), with its own attempts and spend, in take order. */
function takeRows(s: Omit<StatusShot, 'clip'>, ledger: JournalSummary['ledger']): TakeRow[] {
  const mine = ledger.filter((e) => e.shot === s.shot)
  // A picked take never rendered gets its row too: that it has no clip is the point.
  const picked = s.pick === undefined ? [] : [s.pick]
  const numbers = [...new Set([...mine.map((e) => e.take), ...s.takes.map((t) => t.take), ...picked])].sort(
    (a, b) => a - b,
  )
  return numbers.map((take) => {
    const entries = mine.filter((e) => e.take === take)
    const latest = entries.at(-1)?.predictionId
    return {
      take,
      attempts: entries.length,
      spent: ledgerSpend(entries),
      ...(latest ? { predictionId: latest } : {}),
      clip: s.takes.some((t) => t.take === take),
    }
  })
}

/** `--json`: the takes with clips as before, each with its attempts and spend, and the takes without a clip. */
function takesWithAttempts(s: Omit<StatusShot, 'clip'>, ledger: JournalSummary['ledger']): object[] {
  return takeRows(s, ledger).map(({ clip: _, ...row }) => ({
    ...s.takes.find((t) => t.take === row.take),
    ...row,
  }))
}
