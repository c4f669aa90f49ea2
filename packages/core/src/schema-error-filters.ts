import type { ErrorObject } from 'ajv'
import { closestMatch } from './suggest.ts'

/**
 * Both filters index errors by where they are in the data, so a storyboard with
 * tens of thousands of errors (one per shot) is filtered in linear time.
 */

function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const group = groups.get(key(item))
    if (group) group.push(item)
    else groups.set(key(item), [item])
  }
  return groups
}

/** `promt: x` is one mistake: report the unknown key with its "did you mean", not also the missing `prompt`. */
export function withoutMisspelledRequired(errors: readonly ErrorObject[]): ErrorObject[] {
  const allowedBy = (error: ErrorObject) =>
    Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {})
  const unknownKeysAt = groupBy(
    errors.filter((error) => error.keyword === 'additionalProperties'),
    (error) => error.instancePath,
  )
  return errors.filter((error) => {
    if (error.keyword !== 'required') return true
    const missing = String(error.params.missingProperty)
    const unknown = unknownKeysAt.get(error.instancePath) ?? []
    return !unknown.some(
      (other) => closestMatch(String(other.params.additionalProperty), allowedBy(other)) === missing,
    )
  })
}

/** "/shots/5/image", "/shots/5", "/shots", "": the value and every value containing it. */
function selfAndAncestors(pointer: string): string[] {
  const paths = [pointer]
  for (let end = pointer.lastIndexOf('/'); end > 0; end = pointer.lastIndexOf('/', end - 1))
    paths.push(pointer.slice(0, end))
  if (pointer !== '') paths.push('')
  return paths
}

/**
 * ajv reports every branch of a failed anyOf. Keep only the branches whose type
 * matches the value (an object given for `image` gets the object branch's
 * errors, e.g. an unknown key), or one plain "must be X or Y" when none does.
 */
export function collapseAnyOf(errors: readonly ErrorObject[]): ErrorObject[] {
  const anyOfsAt = groupBy(
    errors.filter((error) => error.keyword === 'anyOf'),
    (error) => error.instancePath,
  )
  if (anyOfsAt.size === 0) return [...errors]
  // Each anyOf's errors by branch: those at or below its value that come from one of its branches.
  const branchesOf = new Map<ErrorObject, Map<string, ErrorObject[]>>()
  for (const error of errors) {
    for (const path of selfAndAncestors(error.instancePath)) {
      for (const anyOf of anyOfsAt.get(path) ?? []) {
        if (error === anyOf || !error.schemaPath.startsWith(`${anyOf.schemaPath}/`)) continue
        const branch = error.schemaPath.slice(anyOf.schemaPath.length + 1).split('/')[0]!
        const branches = branchesOf.get(anyOf) ?? new Map<string, ErrorObject[]>()
        branchesOf.set(anyOf, branches)
        branches.set(branch, [...(branches.get(branch) ?? []), error])
      }
    }
  }
  const dropped = new Set<ErrorObject>()
  for (const [anyOf, branches] of branchesOf) {
    const typeMismatch = (list: ErrorObject[]) =>
      list.some((e) => e.keyword === 'type' && e.instancePath === anyOf.instancePath)
    const matching = [...branches.values()].filter((list) => !typeMismatch(list))
    for (const list of branches.values())
      if (matching.length === 0 || !matching.includes(list)) for (const e of list) dropped.add(e)
    if (matching.length > 0) dropped.add(anyOf)
  }
  return errors.filter((error) => !dropped.has(error))
}
