import { loadStoryboard, type PlannedShot, type Provider } from '@storyreel/core'
import { estimateRun, runLayout, type RunEstimate } from '@storyreel/scheduler'
import type { ReviewShot, ReviewSnapshot, ReviewTake } from '@storyreel/review'
import { readManifest, type ManifestShot } from '../render/manifest.ts'

export interface SnapshotSource {
  /** The storyboard as the user named it, and the folder it is relative to. */
  readonly file: string
  readonly cwd: string
  readonly runDir: string
  readonly cacheDir: string
  /** The provider `render` will use: its name is part of every cache key, and `paid` says whether refreshing costs money. */
  readonly provider: Pick<Provider, 'name' | 'paid'>
}

/**
 * The storyboard as it is on disk now, against what the run directory holds: each shot's takes
 * (from the last manifest), and which shots a render would submit and what that costs, from the
 * scheduler's own estimate (the one `render` shows before paying).
 */
export async function reviewSnapshot(source: SnapshotSource): Promise<ReviewSnapshot> {
  const loaded = await loadStoryboard(source.file, { cwd: source.cwd })
  if (!loaded.ok) return { valid: false, file: source.file, issues: loaded.issues }
  const { plan } = loaded
  const layout = runLayout(source.runDir)
  const [estimate, manifest] = await Promise.all([
    estimateRun(plan, { provider: source.provider, cacheDir: source.cacheDir, runDir: source.runDir }),
    readManifest(layout.manifest).catch(() => undefined),
  ])
  // A run directory left by another storyboard says nothing about this one.
  const run = manifest?.storyboard.path === plan.file ? manifest : undefined
  const staleShots = estimate.shots.filter((s) => s.action === 'submit' || s.action === 'recover')
  return {
    valid: true,
    title: plan.title,
    file: source.file,
    issues: loaded.issues,
    shots: plan.shots.map((shot) => reviewShot(shot, run?.shots.find((s) => s.id === shot.id), estimate)),
    ...(run?.reel ? { reel: { file: run.reel.file, ...(run.reel.sha256 ? { sha256: run.reel.sha256 } : {}) } } : {}),
    stale: { shots: staleShots.map((s) => s.shot), submissions: estimate.submissions, cost: estimate.cost },
    provider: source.provider.name,
    paid: source.provider.paid,
  }
}

function reviewShot(shot: PlannedShot, recorded: ManifestShot | undefined, estimate: RunEstimate): ReviewShot {
  const planned = estimate.shots.find((s) => s.shot === shot.id)
  const stale = planned?.action === 'submit' || planned?.action === 'recover'
  return {
    id: shot.id,
    prompt: shot.params.prompt,
    model: shot.model.id,
    duration: shot.params.duration,
    status: recorded?.status ?? 'new',
    price: shot.cost,
    cost: recorded?.cost ?? 0,
    pick: shot.pick,
    takes: takesOf(shot, recorded),
    stale,
    refreshCost: stale ? (planned?.cost ?? 0) : 0,
  }
}

/**
 * Every take the storyboard asks for, each with its clip when one was rendered. A run from before
 * takes has one clip per shot (`shots/<id>.mp4`): that is take 1.
 */
function takesOf(shot: PlannedShot, recorded: ManifestShot | undefined): ReviewTake[] {
  const takes: ReviewTake[] = []
  for (let take = 1; take <= shot.takes; take++) {
    const clip = take === 1 ? recorded?.clip : undefined
    takes.push({
      take,
      ...(clip ? { clip: { file: clip.file, ...(clip.sha256 ? { sha256: clip.sha256 } : {}) } } : {}),
      ...(clip && recorded?.frames ? { poster: recorded.frames.first } : {}),
      status: clip ? (recorded?.status ?? 'done') : 'new',
      cost: clip ? (recorded?.cost ?? 0) : 0,
      picked: take === shot.pick,
    })
  }
  return takes
}
