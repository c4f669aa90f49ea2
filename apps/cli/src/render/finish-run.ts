import type { Plan } from '@storyreel/core'
import { redact, type RunLayout, type RunResult } from '@storyreel/scheduler'
import writeFileAtomic from 'write-file-atomic'
import { type AssembleOptions, assembleOutputs } from './assemble-outputs.ts'
import { buildManifest } from './build-manifest.ts'
import { type Manifest, readManifest, type RunStatus, writeManifest } from './manifest.ts'
import { type ReelClip, reelInputsHash, type ReelTake, upToDateOutputs } from './reel-inputs.ts'
import { reportPage } from './report/report-page.ts'
import type { RunState } from './run-state.ts'

export interface FinishInput {
  readonly plan: Plan
  readonly run: RunState
  readonly layout: RunLayout
  readonly provider: string
  /** The scheduler's result: its ledger (every prediction the run ever created) and the image hashes. */
  readonly result?: RunResult
  readonly interrupted: boolean
  readonly secrets: readonly string[]
  /** How to stitch: progress, the live reel, the capability cache. */
  readonly assemble: AssembleOptions
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
  const { layout } = input
  const clips = reelClipsOf(input.run)
  const complete = !input.interrupted && clips !== undefined
  let outputs: { reel: ReelRecord; contactSheet: string } | undefined
  if (clips && complete) {
    const inputs = await reelInputsHash(input.plan, clips)
    const previous = await readManifest(layout.manifest).catch(() => undefined)
    const kept = await upToDateOutputs(previous, inputs, layout)
    outputs =
      kept?.reel && kept.contactSheet
        ? { reel: kept.reel, contactSheet: kept.contactSheet }
        : await assembleOutputs(input.plan, layout, clips, inputs, input.assemble)
    if (kept)
      input.assemble.notify?.(
        `The reel is up to date with its clips and the storyboard: kept ${input.plan.output.file}.`,
      )
  }
  const status: RunStatus = input.interrupted ? 'interrupted' : complete ? 'completed' : 'failed'
  const manifest = buildManifest({
    plan: input.plan,
    run: input.run,
    layout,
    provider: input.provider,
    status,
    finishedAt: Date.now(),
    images: input.result?.images ?? new Map(),
    ...outputs,
    ...(input.result ? { ledger: input.result.ledger } : {}),
  })
  await writeRunRecords(layout, manifest, input.secrets)
  return {
    status,
    ...(outputs ? { reel: layout.reel(outputs.reel.file) } : {}),
    manifest: layout.manifest,
    report: layout.report,
  }
}

/** Every shot's clip, in reel order, when every shot has one. */
function reelClipsOf(run: RunState): ReelClip[] | undefined {
  const clips: ReelClip[] = []
  for (const shot of run.shots) {
    if ((shot.state !== 'done' && shot.state !== 'cached') || !shot.clip || !shot.sha256) return undefined
    const takes = shot.takeCount > 1 ? reelTakesOf(shot) : undefined
    clips.push({
      id: shot.id,
      clip: shot.clip,
      sha256: shot.sha256,
      ...(shot.frames ? { frames: shot.frames } : {}),
      ...(takes ? { takes } : {}),
    })
  }
  return clips
}

/** The takes of a shot that have a clip and frames, for its row on the contact sheet. */
function reelTakesOf(shot: RunState['shots'][number]): ReelTake[] | undefined {
  const takes = (shot.takes ?? []).flatMap((t) =>
    t.frames && t.sha256
      ? [{ take: t.take, first: t.frames.first, last: t.frames.last, sha256: t.sha256, picked: t.picked }]
      : [],
  )
  return takes.length > 0 ? takes : undefined
}

/** Writes manifest.json and report.html, both scrubbed of `secrets`. */
export async function writeRunRecords(
  layout: RunLayout,
  manifest: Manifest,
  secrets: readonly string[],
): Promise<void> {
  await writeManifest(layout.manifest, manifest, secrets)
  await writeFileAtomic(layout.report, redact(reportPage(manifest), secrets))
}
