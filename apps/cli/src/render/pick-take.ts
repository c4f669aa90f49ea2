import { dirname, resolve } from 'node:path'
import { loadStoryboard, pickInFile, type PlannedShot } from '@storyreel/core'
import { readJournal, type StaleReason, type StaleReport, staleShots } from '@storyreel/scheduler'
import type { CliIo } from '../cli-io.ts'
import { EXIT } from '../command.ts'
import { printIssues } from '../output/issues.ts'
import { JSON_VERSION } from '../output/json-version.ts'
import { formatTable } from '../output/table.ts'
import { formatUsd } from '../output/units.ts'
import { resolveSettings } from '../settings/settings.ts'
import { chooseProvider, type ProviderName } from './choose-provider.ts'
import { CliFailure } from './failure.ts'
import { readManifest } from './manifest.ts'
import { createProvider } from './open-provider.ts'
import { redactingIo, secretsOf } from './redacting-io.ts'
import { defaultOutDir, shortPath } from './run-location.ts'

export interface PickOptions {
  readonly file: string
  readonly shot: string
  readonly take: number
  readonly out?: string
  readonly provider?: string
  readonly json: boolean
}

/** Why a shot is stale, in words (`pick` and the review page). */
export const WHY_STALE: Readonly<Record<StaleReason, string>> = {
  added: 'new shot',
  takes: 'takes raised',
  start: 'start image changed',
  edited: 'settings changed',
}

/**
 * `storyreel pick FILE SHOT TAKE`: checks that the take was rendered in the run directory, writes
 * `pick: TAKE` into the storyboard (one line changed, comments kept), validates the result, and says
 * which shots a render must now submit again and what that costs. Nothing is rendered.
 */
export async function pickTake(options: PickOptions, processIo: CliIo): Promise<number> {
  const io = redactingIo(processIo, secretsOf(processIo.env))
  const before = await loadStoryboard(options.file, { cwd: io.cwd })
  printIssues(before.issues, io)
  if (!before.ok) {
    io.stderr.write(
      `${options.file} is not valid, so no take was picked. Fix the errors above and run again.\n`,
    )
    return EXIT.failure
  }
  const shot = before.plan.shots.find((s) => s.id === options.shot)
  if (!shot)
    throw new CliFailure(
      `${options.file} has no shot ${JSON.stringify(options.shot)}. Its shots: ${before.plan.shots.map((s) => s.id).join(', ')}.`,
    )
  const settings = await resolveSettings({
    env: io.env,
    cwd: io.cwd,
    startDir: dirname(resolve(io.cwd, options.file)),
  })
  const runDir = resolve(io.cwd, options.out ?? defaultOutDir(options.file, io.cwd, settings.outDir.value))
  await requireRenderedTake(shot, options.take, runDir, { ...options, where: shortPath(io.cwd, runDir) })

  const edit = await pickInFile(options.file, shot.id, options.take, { cwd: io.cwd })
  const after = await loadStoryboard(options.file, { cwd: io.cwd })
  printIssues(after.issues, io)
  if (!after.ok) {
    io.stderr.write(
      `${options.file} is not valid after the pick (line ${edit.line}). Fix the errors above before rendering.\n`,
    )
    return EXIT.failure
  }
  const cacheDir = settings.cacheDir.value
  const name = await providerOf(options.provider, runDir, io.env)
  const stale = await staleShots(after.plan, {
    provider: createProvider(name, io.env, cacheDir),
    runDir,
    cacheDir,
  })

  if (options.json) {
    io.stdout.write(
      `${JSON.stringify({ version: JSON_VERSION, file: after.plan.file, shot: shot.id, take: options.take, previous: edit.previous, changed: edit.changed, line: edit.line, runDir, stale }, null, 2)}\n`,
    )
    return EXIT.ok
  }
  const what = edit.changed
    ? `Picked take ${options.take} of "${shot.id}" (was ${edit.previous})`
    : `Take ${options.take} of "${shot.id}" was already picked`
  const render = `storyreel render ${options.file}${options.out ? ` --out ${options.out}` : ''}`
  // Nothing to render: stitching the run's clips again is all the pick needs, and `assemble` does only that.
  const next =
    stale.shots.length === 0 ? `storyreel assemble ${shortPath(io.cwd, runDir)} (or ${render})` : render
  io.stdout.write(
    `${what}: ${options.file} line ${edit.line}.\n${describeStale(stale, name === 'wavespeed')}\nRun: ${next}\n`,
  )
  return EXIT.ok
}

/** Throws unless take `take` of `shot` has a clip in `runDir`: only a take someone could have watched is picked. */
export async function requireRenderedTake(
  shot: PlannedShot,
  take: number,
  runDir: string,
  hint: { readonly file: string; readonly out?: string; readonly where: string },
): Promise<void> {
  const rendered = ((await readJournal(runDir)).shots.find((s) => s.shot === shot.id)?.takes ?? []).map(
    (t) => t.take,
  )
  if (rendered.includes(take)) return
  const exist =
    rendered.length === 0
      ? `no take of "${shot.id}" has been rendered there yet`
      : `the rendered takes of "${shot.id}" are ${rendered.join(', ')}`
  throw new CliFailure(
    `Take ${take} of "${shot.id}" has not been rendered in ${hint.where}: ${exist}. Render it first (storyreel render ${hint.file}${hint.out ? ` --out ${hint.out}` : ''}), with takes: ${Math.max(take, shot.takes)} on the shot.`,
  )
}

/** The provider the run directory was rendered with (its manifest), else the one `render` would choose. */
async function providerOf(
  flag: string | undefined,
  runDir: string,
  env: NodeJS.ProcessEnv,
): Promise<ProviderName> {
  if (flag !== undefined) return chooseProvider(flag, env).name
  const manifest = await readManifest(resolve(runDir, 'manifest.json')).catch(() => undefined)
  return manifest?.provider === 'animatic' || manifest?.provider === 'wavespeed'
    ? manifest.provider
    : chooseProvider(undefined, env).name
}

function describeStale(stale: StaleReport, paid: boolean): string {
  if (stale.shots.length === 0)
    return 'No shot must render again; a render only stitches the reel with the new take (nothing to pay).'
  const cost = paid ? `, ${formatUsd(stale.cost)}` : ' (animatic: free)'
  const head = `${stale.shots.length} shot${stale.shots.length === 1 ? '' : 's'} must render again: ${stale.submissions} prediction${stale.submissions === 1 ? '' : 's'}${cost}.`
  const rows = stale.shots.map((s) => [
    s.shot,
    s.takes.length === 1 ? `take ${s.takes[0]}` : `takes ${s.takes.join(', ')}`,
    WHY_STALE[s.reason],
    formatUsd(s.cost),
  ])
  return `${head}\n${formatTable(['shot', 'takes', 'why', 'price'], rows, [3]).trimEnd()}`
}
