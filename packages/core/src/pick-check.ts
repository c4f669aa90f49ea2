import { label } from './id-checks.ts'
import type { Issue } from './issue.ts'
import { inherited } from './shot-settings.ts'
import type { RawShot, RawShotDefaults } from './storyboard-types.ts'
import type { YamlSource } from './yaml-source.ts'

/** The most takes a shot may ask for (the schema's maximum). */
export const MAX_TAKES = 8

const isTake = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_TAKES

/** "take 1 only", "takes 1 and 2", "takes 1 to 4". */
export function describeTakes(takes: number): string {
  if (takes === 1) return 'take 1 only'
  return takes === 2 ? 'takes 1 and 2' : `takes 1 to ${takes}`
}

/** `pick` must name one of the shot's takes (its own `takes`, else the default's, else 1). */
export function checkPick(
  shot: RawShot,
  index: number,
  defaults: RawShotDefaults | undefined,
  source: YamlSource,
): Issue[] {
  const setting = inherited('takes', shot, defaults)
  const takes = setting?.value ?? 1
  // Values outside 1..8 are the schema's to report, once.
  if (!isTake(shot.pick) || !isTake(takes) || shot.pick <= takes) return []
  const from =
    setting === undefined
      ? 'takes is 1 by default'
      : setting.from === 'defaults'
        ? `takes: ${takes} in defaults`
        : `takes: ${takes}`
  const fix =
    takes === 1 ? `pick 1, or set takes: ${shot.pick}` : `pick one of those, or raise takes to ${shot.pick}`
  const message = `pick ${shot.pick} is not a take of ${label(shot, index)}: it has ${describeTakes(takes)} (${from}); ${fix}`
  return [source.issue('CORE_PICK_OUT_OF_RANGE', ['shots', index, 'pick'], message)]
}
