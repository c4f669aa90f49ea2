import { loadStoryboard, type PlannedShot, type Provider } from '@storyreel/core'
import type { ReviewShot, ReviewSnapshot, ReviewTake } from '@storyreel/review'
import { runLayout, type StaleShot, staleShots } from '@storyreel/scheduler'
import { type ManifestShot, readManifest } from '../render/manifest.ts'
import { WHY_STALE } from '../render/pick-take.ts'

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
 * (from the last manifest), and which shots a render would submit, why, and what that costs
 * (the scheduler's `staleShots`, as `storyreel pick` reports them).
 */
export async function reviewSnapshot(source: SnapshotSource): Promise<ReviewSnapshot> {
  const loaded = await loadStoryboard(source.file, { cwd: source.cwd })
  if (!loaded.ok) return { valid: false, file: source.file, issues: loaded.issues }
  const { plan } = loaded
  const layout = runLayout(source.runDir)
  const [stale, manifest] = await Promise.all([
    staleShots(plan, { provider: source.provider, cacheDir: source.cacheDir, runDir: source.runDir }),
    readManifest(layout.manifest).catch(() => undefined),
  ])
  // A run directory left by another storyboard says nothing about this one.
  const run = manifest?.storyboard.path === plan.file ? manifest : undefined
  return {
    valid: true,
    title: plan.title,
    file: source.file,
    issues: loaded.issues,
    shots: plan.shots.map((shot) =>
      reviewShot(
        shot,
        run?.shots.find((s) => s.id === shot.id),
        stale.shots.find((s) => s.shot === shot.id),
      ),
    ),
    ...(run?.reel
      ? { reel: { file: run.reel.file, ...(run.reel.sha256 ? { sha256: run.reel.sha256 } : {}) } }
      : {}),
    stale: { shots: stale.shots.map((s) => s.shot), submissions: stale.submissions, cost: stale.cost },
    provider: source.provider.name,
    paid: source.provider.paid,
  }
}

function reviewShot(
  shot: PlannedShot,
  recorded: ManifestShot | undefined,
  stale: StaleShot | undefined,
): ReviewShot {
  return {
    id: shot.id,
    prompt: shot.params.prompt,
    model: shot.model.id,
    duration: shot.params.duration,
    status: recorded?.status ?? 'new',
    price: shot.cost,
    cost: recorded?.cost ?? 0,
    pick: shot.pick,
    takes: takesOf(shot, recorded, stale?.takes ?? []),
    stale: stale !== undefined,
    ...(stale ? { staleReason: WHY_STALE[stale.reason] } : {}),
    refreshCost: stale?.cost ?? 0,
  }
}

/**
 * Every take the storyboard asks for now (a lowered `takes` hides the others; their clips stay), each
 * with its clip when the last run had one. A manifest from before takes has one clip per shot: take 1.
 */
function takesOf(
  shot: PlannedShot,
  recorded: ManifestShot | undefined,
  rendering: readonly number[],
): ReviewTake[] {
  const takes: ReviewTake[] = []
  for (let take = 1; take <= shot.takes; take++) {
    const made =
      recorded?.takes?.find((t) => t.take === take) ??
      (take === 1 && !recorded?.takes && recorded?.clip ? { ...recorded, take } : undefined)
    const clip = made?.clip
    takes.push({
      take,
      ...(clip ? { clip: { file: clip.file, ...(clip.sha256 ? { sha256: clip.sha256 } : {}) } } : {}),
      ...(clip && made.frames ? { poster: made.frames.first } : {}),
      status: rendering.includes(take) ? 'stale' : (made?.status ?? 'new'),
      cost: made?.cost ?? 0,
      picked: take === shot.pick,
    })
  }
  return takes
}
