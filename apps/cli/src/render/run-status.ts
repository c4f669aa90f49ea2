import { resolve } from 'node:path'
import { readJournal } from '@storyreel/scheduler'
import type { CliIo } from '../cli-io.ts'
import { EXIT } from '../command.ts'
import { createStyle } from '../output/style.ts'
import { formatUsd } from '../output/table.ts'
import { isPaidProvider } from './choose-provider.ts'
import { CliFailure } from './failure.ts'
import { readManifest } from './manifest.ts'
import { runDir } from './run-dir.ts'

/**
 * `storyreel status RUN_DIR`: each shot's state as the journal records it,
 * in storyboard order when a manifest says what that order is.
 */
export async function showStatus(runRoot: string, options: { readonly json: boolean }, io: CliIo): Promise<number> {
  const root = resolve(io.cwd, runRoot)
  const summary = await readJournal(root)
  if (summary.shots.length === 0) throw new CliFailure(`${runRoot} has no journal: nothing was rendered there yet. Start with: storyreel render FILE --out ${runRoot}`)
  const manifest = await readManifest(runDir(root).manifest).catch(() => undefined)
  const order = manifest?.shots.map((s) => s.id) ?? []
  // The journal prices predictions from the catalog; an animatic's cost nothing.
  const usd = (amount: number) => (manifest && !isPaidProvider(manifest.provider) ? 0 : amount)
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length)
  const shots = [...summary.shots].sort((a, b) => rank(a.shot) - rank(b.shot))
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ shots: shots.map((s) => ({ ...s, spent: usd(s.spent) })), spent: usd(summary.spent), ledger: summary.ledger.map((e) => ({ ...e, price: usd(e.price) })) })}\n`)
    return EXIT.ok
  }
  const colors = createStyle(io)
  const paint = (state: string) => (state === 'done' ? colors.green(state) : state === 'failed' ? colors.red(state) : state === 'skipped' ? colors.yellow(state) : state)
  const width = Math.max(4, ...shots.map((s) => s.shot.length))
  io.stdout.write(`${'shot'.padEnd(width)}  ${'state'.padEnd(11)}  attempts  ${'spent'.padStart(7)}  prediction / note\n`)
  for (const s of shots) {
    const note = [s.predictionId, s.message].filter(Boolean).join('  ')
    io.stdout.write(`${s.shot.padEnd(width)}  ${paint(s.state.padEnd(11))}  ${String(s.attempts).padStart(8)}  ${formatUsd(usd(s.spent)).padStart(7)}  ${note}\n`)
  }
  const done = shots.filter((s) => s.state === 'done').length
  io.stdout.write(`${done}/${shots.length} shots done, ${formatUsd(usd(summary.spent))} spent on ${summary.ledger.length} prediction${summary.ledger.length === 1 ? '' : 's'}\n`)
  return EXIT.ok
}
