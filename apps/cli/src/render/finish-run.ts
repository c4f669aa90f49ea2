import { writeFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { assembleReel, contactSheet } from '@storyreel/assembler'
import type { Plan } from '@storyreel/core'
import type { RunResult } from '@storyreel/scheduler'
import { buildManifest } from './build-manifest.ts'
import { sha256File } from './hash-file.ts'
import { readManifest, redact, writeManifest, type Manifest, type RunStatus } from './manifest.ts'
import { reelInputsHash, upToDateOutputs } from './reel-inputs.ts'
import { reportPage } from './report/report-page.ts'
import { CONTACT_SHEET_FILE, runDir } from './run-dir.ts'
import type { RunState } from './run-state.ts'

export interface FinishInput {
  readonly plan: Plan
  readonly run: RunState
  readonly root: string
  readonly provider: string
  /** The scheduler's result, for its spend ledger (every prediction the run directory ever created). */
  readonly result?: RunResult
  readonly interrupted: boolean
  readonly secrets: readonly string[]
  readonly signal?: AbortSignal
  /** Told what is being made, since stitching a long reel takes a while. */
  readonly notify?: (text: string) => void
}

type ReelRecord = NonNullable<Manifest['reel']>

export interface Finished {
  readonly status: RunStatus
  readonly reel?: string
  readonly manifest: string
  readonly report: string
}

/**
 * What follows the renders: the reel and contact sheet when every shot has a
 * clip, then, whatever happened, the manifest and the report, so a failed or
 * interrupted run can be reviewed too.
 */
export async function finishRun(input: FinishInput): Promise<Finished> {
  const dir = runDir(input.root)
  const complete = !input.interrupted && input.run.shots.every((s) => s.state === 'done' || s.state === 'cached')
  let outputs: { reel: ReelRecord; contactSheet: string } | undefined
  if (complete) {
    const inputs = await reelInputsHash(input.plan, input.root)
    const previous = await readManifest(dir.manifest).catch(() => undefined)
    const kept = await upToDateOutputs(previous, inputs, input.root)
    outputs = kept?.reel && kept.contactSheet ? { reel: kept.reel, contactSheet: kept.contactSheet } : await assembleOutputs(input.plan, input.root, input.signal, input.notify, inputs)
    if (kept) input.notify?.(`The reel is up to date with its clips and the storyboard: kept ${input.plan.output.file}.`)
  }
  const status: RunStatus = input.interrupted ? 'interrupted' : complete ? 'completed' : 'failed'
  const manifest = await buildManifest({
    plan: input.plan,
    run: input.run,
    runRoot: input.root,
    provider: input.provider,
    status,
    finishedAt: Date.now(),
    ...outputs,
    ...(input.result ? { ledger: input.result.ledger } : {}),
  })
  await writeRunRecords(input.root, manifest, input.secrets)
  return { status, ...(outputs ? { reel: dir.reel(outputs.reel.file) } : {}), manifest: dir.manifest, report: dir.report }
}

/** The reel and the contact sheet, from the clips and frames in the run directory. */
export async function assembleOutputs(
  plan: Plan,
  root: string,
  signal?: AbortSignal,
  notify?: (text: string) => void,
  inputs?: string,
): Promise<{ reel: ReelRecord; contactSheet: string }> {
  const dir = runDir(root)
  const reelPath = dir.reel(plan.output.file)
  notify?.(`Stitching ${plan.shots.length} clip${plan.shots.length === 1 ? '' : 's'} into ${plan.output.file}...`)
  const made = await stitch(plan, root, reelPath, signal)
  await contactSheet(
    plan.shots.map((s) => ({ id: s.id, clip: dir.shot(s.id) })),
    dir.contactSheet,
    signal ? { signal } : {},
  )
  const inputsSha256 = inputs ?? (await reelInputsHash(plan, root))
  return { reel: { file: plan.output.file, duration: made.duration, sha256: await sha256File(reelPath), inputsSha256 }, contactSheet: CONTACT_SHEET_FILE }
}

/** Writes manifest.json and report.html, both scrubbed of `secrets`. */
export async function writeRunRecords(root: string, manifest: Manifest, secrets: readonly string[]): Promise<void> {
  const dir = runDir(root)
  await writeManifest(dir.manifest, manifest, secrets)
  await writeReport(dir.report, redact(reportPage(manifest), secrets))
}

/** Joins the run's clips as the storyboard says (transitions, trims, seams, soundtrack). */
function stitch(plan: Plan, root: string, reelPath: string, signal?: AbortSignal) {
  const dir = runDir(root)
  return assembleReel({
    segments: plan.shots.map((s) => ({ file: dir.shot(s.id), id: s.id, trim: s.trim, seam: s.seam, transition: s.transition })),
    output: { ...plan.output, file: reelPath },
    workDir: join(root, '.work'),
    ...(signal ? { signal } : {}),
  })
}

async function writeReport(path: string, html: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`
  await writeFile(temp, html)
  await rename(temp, path)
}
