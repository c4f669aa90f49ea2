import type { Issue } from './issue.ts'
import type { RawShot } from './storyboard-types.ts'
import { didYouMean } from './suggest.ts'
import type { YamlSource } from './yaml-source.ts'

/**
 * "Did you mean" compares a name with every id; past this many unknown
 * references a file has a bigger problem than typos, and suggesting for all
 * of 40,000 would take minutes.
 */
const MAX_SUGGESTIONS = 20

/** `shot "deck"`, or `shot #3` when the id is missing. */
export function label(shot: RawShot, index: number): string {
  return shot.id === undefined ? `shot #${index + 1}` : `shot "${shot.id}"`
}

/**
 * Ids must be unique, also ignoring case: they name the shot's files, and
 * `Deck.mp4` and `deck.mp4` are one file on macOS and Windows. Returns the
 * findings and where each id is first defined (for `after:`).
 */
export function checkIds(
  shots: readonly RawShot[],
  source: YamlSource,
): { issues: Issue[]; firstIndexOf: Map<string, number> } {
  const issues: Issue[] = []
  const firstIndexOf = new Map<string, number>()
  const firstByFolded = new Map<string, number>()
  shots.forEach((shot, index) => {
    const id = (shot as Partial<RawShot> | null)?.id
    if (typeof id !== 'string') return
    const same = firstIndexOf.get(id)
    const folded = firstByFolded.get(id.toLowerCase())
    const path = ['shots', index, 'id']
    if (same !== undefined) {
      const line = source.locate(['shots', same, 'id']).line
      issues.push(
        source.issue(
          'CORE_DUPLICATE_ID',
          path,
          `shot id "${id}" is already used on line ${line}; ids must be unique`,
        ),
      )
      return
    }
    if (folded !== undefined) {
      const other = shots[folded]!.id
      const line = source.locate(['shots', folded, 'id']).line
      const message = `shot id "${id}" differs from "${other}" (line ${line}) only in case; ids name the shot's files, which would be one file on macOS and Windows, so rename one`
      issues.push(source.issue('CORE_DUPLICATE_ID', path, message))
    } else firstByFolded.set(id.toLowerCase(), index)
    firstIndexOf.set(id, index)
  })
  return { issues, firstIndexOf }
}

/** `image: { after: X }`: X must be an earlier shot. */
export function createAfterCheck(
  firstIndexOf: ReadonlyMap<string, number>,
  source: YamlSource,
): (shot: RawShot, index: number) => Issue[] {
  let suggestions = 0
  return (shot, index) => {
    if (typeof shot.image !== 'object') return []
    const target = shot.image.after
    const path = ['shots', index, 'image', 'after']
    const targetIndex = firstIndexOf.get(target)
    if (targetIndex === undefined) {
      const hint = suggestions++ < MAX_SUGGESTIONS ? didYouMean(target, firstIndexOf.keys()) : ''
      return [source.issue('CORE_AFTER_UNKNOWN', path, `no shot has the id "${target}"${hint}`)]
    }
    if (targetIndex === index) {
      return [
        source.issue(
          'CORE_AFTER_NOT_EARLIER',
          path,
          `${label(shot, index)} cannot start from its own last frame; name an earlier shot`,
        ),
      ]
    }
    if (targetIndex > index) {
      const line = source.locate(['shots', targetIndex]).line
      return [
        source.issue(
          'CORE_AFTER_NOT_EARLIER',
          path,
          `shot "${target}" comes later (line ${line}); "after" must name a shot earlier in the file, so move one of them`,
        ),
      ]
    }
    return []
  }
}
