import { access } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { loadStoryboard } from '@storyreel/core'
import { openFileRunStore, readJournal, type RunStore, type ShotJournalStatus } from '@storyreel/scheduler'
import type { CliIo } from '../cli-io.ts'
import { EXIT } from '../command.ts'
import { escapeControl } from '../output/escape.ts'
import { printIssues } from '../output/issues.ts'
import { JSON_VERSION } from '../output/json-version.ts'
import { resolveSettings } from '../settings/settings.ts'
import { assembleOutputs } from './assemble-outputs.ts'
import { CliFailure } from './failure.ts'
import { writeRunRecords } from './finish-run.ts'
import { type Manifest, type ManifestShot, readManifest } from './manifest.ts'
import { changedPicks, type PickChange, placePicks } from './place-picks.ts'
import { createAssemblyView } from './progress/assembly-view.ts'
import { liveViewWanted } from './progress/choose-view.ts'
import { redactingIo, secretsOf } from './redacting-io.ts'
import { type ReelClip, reelInputsHash, type ReelTake } from './reel-inputs.ts'
import { terminalOf } from './terminal.ts'
import { refuseUnrenderedPicks } from './unrendered-picks.ts'

/**
 * `storyreel assemble RUN_DIR`: stitches the run's clips again without
 * rendering, re-reading the storyboard the manifest names so edits to
 * transitions, trims or the soundtrack apply. The clips and their hashes are
 * the run store's; the manifest keeps the hash of the storyboard the clips
 * were rendered from, so reverting an edit is not reported as a change.
 */
export async function reassemble(
  runRoot: string,
  options: { readonly json: boolean },
  processIo: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const secrets = secretsOf(processIo.env)
  const io = redactingIo(processIo, secrets)
  const view = createAssemblyView(options.json ? io.stdout : io.stderr, {
    json: options.json,
    live: liveViewWanted(terminalOf(processIo).stderrIsTTY, io.env),
  })
  const say = (text: string) => view.note(text)
  const store = openFileRunStore(resolve(io.cwd, runRoot))
  const { layout } = store
  const manifest = await readManifest(layout.manifest).catch((cause: unknown) => {
    throw new CliFailure(
      `${runRoot} has no readable manifest.json, so it is not a finished storyreel run directory. Render one first: storyreel render FILE --out ${runRoot}`,
      { cause },
    )
  })
  const loaded = await loadStoryboard(manifest.storyboard.path, { cwd: io.cwd })
  printIssues(loaded.issues, io)
  if (!loaded.ok) {
    say(
      `${manifest.storyboard.path} is not valid: nothing was assembled. Fix the errors above and run again.`,
    )
    return EXIT.failure
  }
  const plan = loaded.plan
  // The clip cache as a render of this storyboard finds it (storyreel.config.yaml included): it prices what a render would pay.
  const { cacheDir } = await resolveSettings({
    env: io.env,
    cwd: io.cwd,
    startDir: dirname(resolve(io.cwd, manifest.storyboard.path)),
  })
  const journaled = await journalByShot(store)
  await refuseUnrenderedPicks(plan, journaled, {
    storyboard: manifest.storyboard.path,
    runRoot,
    runDir: layout.root,
    provider: manifest.provider,
    cacheDir: cacheDir.value,
  })
  const picks = changedPicks(plan, journaled)
  refuseStaleChains(picks, manifest.storyboard.path, runRoot)
  await placePicks(store, picks)
  const stored = await journalByShot(store)
  const clips: ReelClip[] = []
  const missing: string[] = []
  for (const shot of plan.shots) {
    const { clip, takes: storedTakes = [] } = stored.get(shot.id) ?? {}
    if (!clip || !(await exists(clip.clip))) {
      missing.push(shot.id)
      continue
    }
    // The contact sheet's row of takes: those the storyboard still asks for whose frames are on disk.
    const takes: ReelTake[] = []
    for (const t of storedTakes) {
      if (shot.takes > 1 && t.take <= shot.takes && (await exists(t.first)) && (await exists(t.last)))
        takes.push({
          take: t.take,
          first: t.first,
          last: t.last,
          sha256: t.sha256,
          picked: t.sha256 === clip.sha256,
        })
    }
    clips.push({
      id: shot.id,
      clip: clip.clip,
      sha256: clip.sha256,
      frames: { first: clip.first, last: clip.last },
      ...(takes.length > 0 ? { takes } : {}),
    })
  }
  if (missing.length > 0) {
    throw new CliFailure(
      `No clip for ${missing.join(', ')} in ${runRoot}/shots. Render them first: storyreel render ${manifest.storyboard.path} --out ${runRoot}`,
    )
  }
  if (plan.hash !== manifest.storyboard.sha256) {
    say(
      'The storyboard changed since the render: transitions, trims and the soundtrack apply now; a changed prompt or model needs `storyreel render` to take effect.',
    )
  }
  const outputs = await assembleOutputs(plan, layout, clips, await reelInputsHash(plan, clips), {
    signal,
    notify: say,
    onProgress: (progress) => view.progress(progress),
    cacheDir: cacheDir.value,
  }).finally(() => view.close())
  const updated: Manifest = {
    ...manifest,
    // The storyboard stays the one the clips were rendered from; the reel's `inputsSha256` records the one it was stitched from.
    storyboard: { ...manifest.storyboard, title: plan.title },
    status: manifest.shots.every((s) => s.status === 'done' || s.status === 'cached')
      ? 'completed'
      : manifest.status,
    finishedAt: new Date().toISOString(),
    shots: manifest.shots.map((s) => withPick(s, picks)),
    ...outputs,
  }
  await writeRunRecords(layout, updated, secrets)
  const reel = layout.reel(outputs.reel.file)
  if (options.json)
    io.stdout.write(
      `${JSON.stringify({ type: 'result', version: JSON_VERSION, status: 'completed', runDir: layout.root, reel, report: layout.report, manifest: layout.manifest })}\n`,
    )
  else io.stdout.write(`Reel: ${escapeControl(reel)}\nReview: ${escapeControl(layout.report)}\n`)
  return EXIT.ok
}

async function journalByShot(store: RunStore): Promise<Map<string, ShotJournalStatus>> {
  return new Map((await readJournal(store)).shots.map((s) => [s.shot, s]))
}

/**
 * A picked take that shots are chained after cannot just be stitched in: they start from the old take's last
 * frame, so the reel would jump at each seam. Only a render makes them again (and `pick` said what that costs).
 */
function refuseStaleChains(picks: readonly PickChange[], storyboard: string, runRoot: string): void {
  const blocked = picks.filter((p) => p.chained.length > 0)
  if (blocked.length === 0) return
  const why = blocked
    .map(
      (p) =>
        `take ${p.take.take} of "${escapeControl(p.shot)}" is picked, and ${p.chained.map((id) => `"${escapeControl(id)}"`).join(', ')} start${p.chained.length === 1 ? 's' : ''} from its last frame`,
    )
    .join('; ')
  throw new CliFailure(
    `Nothing was assembled: ${why}, rendered from the take picked before. Those shots must render again; this renders just them and stitches the reel: storyreel render ${storyboard} --out ${runRoot}`,
  )
}

/** The manifest's shot after `assemble` placed another take: its pick, clip hash and which take is picked. */
function withPick(shot: ManifestShot, picks: readonly PickChange[]): ManifestShot {
  const change = picks.find((p) => p.shot === shot.id)
  if (!change) return shot
  const take = change.take.take
  return {
    ...shot,
    pick: take,
    ...(shot.clip ? { clip: { ...shot.clip, sha256: change.take.sha256 } } : {}),
    ...(shot.takes ? { takes: shot.takes.map((t) => ({ ...t, picked: t.take === take })) } : {}),
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}
