import type { Plan } from '@storyreel/core'
import { type ShotJournalStatus, type StaleReport, staleShots } from '@storyreel/scheduler'
import { escapeControl } from '../output/escape.ts'
import { formatUsd } from '../output/units.ts'
import { CliFailure } from './failure.ts'

/** A shot whose storyboard `pick:` names a take the run has no clip of (a hand edit; `storyreel pick` refuses it). */
export interface UnrenderedPick {
  readonly shot: string
  readonly take: number
  /** The takes that do have a clip in the run, in order. */
  readonly rendered: readonly number[]
}

/**
 * The shots the run did render whose picked take it never rendered: `shots/<id>.mp4` still holds the take
 * picked before, so stitching it would give a reel that silently disagrees with the storyboard. Shots with
 * no clip at all are not listed: those are simply not rendered yet, and said so elsewhere.
 */
export function unrenderedPicks(
  plan: Plan,
  stored: ReadonlyMap<string, Pick<ShotJournalStatus, 'takes'>>,
): readonly UnrenderedPick[] {
  const found: UnrenderedPick[] = []
  for (const shot of plan.shots) {
    const rendered = (stored.get(shot.id)?.takes ?? []).map((t) => t.take)
    if (rendered.length > 0 && !rendered.includes(shot.pick))
      found.push({ shot: shot.id, take: shot.pick, rendered })
  }
  return found
}

/** `take 3 of "gulls" is picked but has no clip (rendered: takes 1, 2)`, for messages. */
function describeUnrendered(pick: UnrenderedPick): string {
  const rendered =
    pick.rendered.length === 1 ? `take ${pick.rendered[0]}` : `takes ${pick.rendered.join(', ')}`
  return `take ${pick.take} of "${escapeControl(pick.shot)}" is picked but has no clip (rendered: ${rendered})`
}

interface RenderHint {
  /** The storyboard the manifest names, and the run directory as the user typed it. */
  readonly storyboard: string
  readonly runRoot: string
  readonly runDir: string
  /** The provider the run was rendered with (the manifest's), to price the render. */
  readonly provider: string
  readonly cacheDir: string
}

/**
 * `assemble` stops before writing anything when a picked take has no clip: only a render makes it. The
 * message names each such shot and take, and prices the render that fixes it, as `pick` would have.
 */
export async function refuseUnrenderedPicks(
  plan: Plan,
  stored: ReadonlyMap<string, Pick<ShotJournalStatus, 'takes'>>,
  hint: RenderHint,
): Promise<void> {
  const missing = unrenderedPicks(plan, stored)
  if (missing.length === 0) return
  const them = missing.length === 1 ? 'it' : 'them'
  const cost = describeCost(await renderCost(plan, hint), hint.provider)
  throw new CliFailure(
    `Nothing was assembled: ${missing.map(describeUnrendered).join('; ')}. shots/ still holds the take picked before, so the reel would not match the storyboard. Render ${them} first${cost}; this renders only what the storyboard now needs and stitches the reel: storyreel render ${hint.storyboard} --out ${hint.runRoot}`,
  )
}

/** What `render` would submit, priced for the provider the run used; undefined for one storyreel does not know. */
async function renderCost(plan: Plan, hint: RenderHint): Promise<StaleReport | undefined> {
  if (hint.provider !== 'animatic' && hint.provider !== 'wavespeed') return undefined
  try {
    // Pricing needs only the provider's name (the clip cache's keys) and whether it charges, so no API key.
    return await staleShots(plan, {
      provider: { name: hint.provider, paid: hint.provider === 'wavespeed' },
      runDir: hint.runDir,
      cacheDir: hint.cacheDir,
    })
  } catch {
    // The price is a courtesy: the refusal and the command that fixes it must not depend on it.
    return undefined
  }
}

/** ` (2 predictions, $0.70)`, ` (1 prediction, animatic: free)`, as `pick` prices a render. */
function describeCost(stale: StaleReport | undefined, provider: string): string {
  if (!stale || stale.submissions === 0) return ''
  const predictions = `${stale.submissions} prediction${stale.submissions === 1 ? '' : 's'}`
  return ` (${predictions}, ${stale.cost > 0 ? formatUsd(stale.cost) : `${provider}: free`})`
}
