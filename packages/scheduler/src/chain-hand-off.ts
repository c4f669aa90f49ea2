import type { Downloaded } from './download-clip.ts'
import type { PipelineSetup } from './pipeline-setup.ts'
import type { TakeUnit } from './render-context.ts'
import type { RenderOutcome } from './render-shot.ts'
import type { ShotOutcome } from './run-types.ts'

/** A clip fetched for a picked take that other shots are chained after, not yet checked, journaled or cached. */
export type UncheckedClip = Extract<RenderOutcome, { status: 'rendered' }> & {
  readonly keep: () => Promise<Downloaded>
}

/**
 * Starts the chained shots from a fetched clip before the clip's full check, which decodes every frame and
 * is most of the time between a prediction finishing and the next one being submitted. The exact last frame
 * they start from is extracted first (its final keyframe interval decoded, so the clip's end is proven to
 * decode); then they are readied (`provisional`), the slot is given back, and the full check runs meanwhile.
 * The clip is journaled and cached only if that check passes; if not, the shot fails and a re-run fetches it
 * again for free, as for any clip that fails its check. Nothing is submitted twice either way.
 * @returns the check's result.
 */
export async function handOffChain(
  setup: PipelineSetup,
  unit: TakeUnit,
  clip: UncheckedClip,
  provisional: ShotOutcome,
  release: () => void,
): Promise<Downloaded> {
  try {
    await setup.frames.placeLast(unit, clip.clip)
  } catch (error) {
    // An end that does not decode is most likely a bad download; the full check tells which it is.
    const kept = await clip.keep()
    if (!kept.ok) return kept
    throw error
  }
  setup.handOff(unit, provisional)
  // After the hand-off: the chained shot is being decided, so the dispatcher holds the slot for it.
  release()
  const kept = await clip.keep()
  // The chained shots' cache keys hold the sha256 taken before the check: a clip changed since is not the one they started from.
  if (kept.ok && kept.sha256 !== clip.sha256)
    return {
      ok: false,
      aborted: false,
      message: `Prediction ${clip.predictionId} finished but its clip changed on disk while it was verified, after the shots chained from it had started. Re-run to download it again (nothing is paid twice).`,
    }
  return kept
}
