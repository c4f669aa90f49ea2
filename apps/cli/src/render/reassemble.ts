import { access } from 'node:fs/promises'
import { resolve } from 'node:path'
import { loadStoryboard } from '@storyreel/core'
import { openFileRunStore, readJournal } from '@storyreel/scheduler'
import type { CliIo } from '../cli-io.ts'
import { EXIT } from '../command.ts'
import { escapeControl } from '../output/escape.ts'
import { printIssues } from '../output/issues.ts'
import { JSON_VERSION } from '../output/json-version.ts'
import { assembleOutputs } from './assemble-outputs.ts'
import { cacheDirOf } from './cache-dir.ts'
import { CliFailure } from './failure.ts'
import { writeRunRecords } from './finish-run.ts'
import { type Manifest, readManifest } from './manifest.ts'
import { createAssemblyView } from './progress/assembly-view.ts'
import { liveViewWanted } from './progress/choose-view.ts'
import { redactingIo, secretsOf } from './redacting-io.ts'
import { type ReelClip, reelInputsHash, type ReelTake } from './reel-inputs.ts'
import { terminalOf } from './terminal.ts'

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
  const stored = new Map((await readJournal(store)).shots.map((s) => [s.shot, s]))
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
    cacheDir: cacheDirOf(io.env, io.cwd),
  }).finally(() => view.close())
  const updated: Manifest = {
    ...manifest,
    // The storyboard stays the one the clips were rendered from; the reel's `inputsSha256` records the one it was stitched from.
    storyboard: { ...manifest.storyboard, title: plan.title },
    status: manifest.shots.every((s) => s.status === 'done' || s.status === 'cached')
      ? 'completed'
      : manifest.status,
    finishedAt: new Date().toISOString(),
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

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}
