import { access } from 'node:fs/promises'
import { resolve } from 'node:path'
import { loadStoryboard } from '@storyreel/core'
import type { CliIo } from '../cli-io.ts'
import { EXIT } from '../command.ts'
import { printIssues } from '../output/issues.ts'
import { CliFailure } from './failure.ts'
import { assembleOutputs, writeRunRecords } from './finish-run.ts'
import { readManifest, type Manifest } from './manifest.ts'
import { runDir } from './run-dir.ts'

/**
 * `storyreel assemble RUN_DIR`: stitches the run's clips again without
 * rendering, re-reading the storyboard the manifest names so edits to
 * transitions, trims or the soundtrack apply.
 */
export async function reassemble(runRoot: string, io: CliIo, signal?: AbortSignal): Promise<number> {
  const say = (text: string) => io.stderr.write(`${text}\n`)
  const root = resolve(io.cwd, runRoot)
  const dir = runDir(root)
  const manifest = await readManifest(dir.manifest).catch((cause: unknown) => {
    throw new CliFailure(`${runRoot} has no readable manifest.json, so it is not a finished storyreel run directory. Render one first: storyreel render FILE --out ${runRoot}`, { cause })
  })
  const loaded = await loadStoryboard(manifest.storyboard.path, { cwd: io.cwd })
  printIssues(loaded.issues, io)
  if (!loaded.ok) {
    say(`${manifest.storyboard.path} is not valid: nothing was assembled. Fix the errors above and run again.`)
    return EXIT.failure
  }
  const plan = loaded.plan
  const missing: string[] = []
  for (const shot of plan.shots) if (!(await exists(dir.shot(shot.id)))) missing.push(shot.id)
  if (missing.length > 0) {
    throw new CliFailure(`No clip for ${missing.join(', ')} in ${runRoot}/shots. Render them first: storyreel render ${manifest.storyboard.path} --out ${runRoot}`)
  }
  if (plan.hash !== manifest.storyboard.sha256) {
    say('The storyboard changed since the render: transitions, trims and the soundtrack apply now; a changed prompt or model needs `storyreel render` to take effect.')
  }
  const outputs = await assembleOutputs(plan, root, signal, say)
  const updated: Manifest = {
    ...manifest,
    storyboard: { path: plan.file, sha256: plan.hash, title: plan.title },
    status: manifest.shots.every((s) => s.status === 'done' || s.status === 'cached') ? 'completed' : manifest.status,
    finishedAt: new Date().toISOString(),
    ...outputs,
  }
  const key = io.env.WAVESPEED_API_KEY?.trim()
  await writeRunRecords(root, updated, key ? [key] : [])
  io.stdout.write(`Reel: ${dir.reel(outputs.reel.file)}\nReview: ${dir.report}\n`)
  return EXIT.ok
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}
