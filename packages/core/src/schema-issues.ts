import type { ErrorObject } from 'ajv'
import type { Issue, IssueCode } from './issue.ts'
import { closestMatch, didYouMean } from './suggest.ts'
import type { PathSegment, YamlSource } from './yaml-source.ts'

/** Turns ajv's errors into located, readable findings. */
export function schemaIssues(errors: readonly ErrorObject[], source: YamlSource): Issue[] {
  return withoutMisspelledRequired(collapseAnyOf(errors)).map((error) => {
    const path = pointerToPath(error.instancePath)
    const { code, message, at } = describe(error, path, source.data)
    const target = at === 'key' ? [...path, String(error.params.additionalProperty)] : path
    return source.issue(code, target, message, { at })
  })
}

/** `promt: x` is one mistake: report the unknown key with its "did you mean", not also the missing `prompt`. */
function withoutMisspelledRequired(errors: readonly ErrorObject[]): ErrorObject[] {
  const allowedBy = (error: ErrorObject) => Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {})
  return errors.filter((error) => {
    if (error.keyword !== 'required') return true
    const missing = String(error.params.missingProperty)
    return !errors.some(
      (other) =>
        other.keyword === 'additionalProperties' &&
        other.instancePath === error.instancePath &&
        closestMatch(String(other.params.additionalProperty), allowedBy(other)) === missing,
    )
  })
}

/**
 * ajv reports every branch of a failed anyOf. Keep only the branches whose type
 * matches the value (an object given for `image` gets the object branch's
 * errors, e.g. an unknown key), or one plain "must be X or Y" when none does.
 */
function collapseAnyOf(errors: readonly ErrorObject[]): ErrorObject[] {
  const anyOfs = errors.filter((error) => error.keyword === 'anyOf')
  if (anyOfs.length === 0) return [...errors]
  const dropped = new Set<ErrorObject>()
  for (const anyOf of anyOfs) {
    const branches = new Map<string, ErrorObject[]>()
    for (const error of errors) {
      const sameValue = error.instancePath === anyOf.instancePath || error.instancePath.startsWith(`${anyOf.instancePath}/`)
      if (error === anyOf || !sameValue || !error.schemaPath.startsWith(`${anyOf.schemaPath}/`)) continue
      const branch = error.schemaPath.slice(anyOf.schemaPath.length + 1).split('/')[0]!
      branches.set(branch, [...(branches.get(branch) ?? []), error])
    }
    const typeMismatch = (list: ErrorObject[]) => list.some((e) => e.keyword === 'type' && e.instancePath === anyOf.instancePath)
    const matching = [...branches.values()].filter((list) => !typeMismatch(list))
    for (const list of branches.values()) if (matching.length === 0 || !matching.includes(list)) for (const e of list) dropped.add(e)
    if (matching.length > 0) dropped.add(anyOf)
  }
  return errors.filter((error) => !dropped.has(error))
}

function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part))
}

/** "in shot "deck"", "in output.audio", "at the top level". */
function where(path: readonly PathSegment[], data: unknown): string {
  if (path.length === 0) return 'at the top level'
  if (path[0] === 'shots' && typeof path[1] === 'number') {
    const id = shotId(data, path[1])
    const shot = id === undefined ? `shot #${path[1] + 1}` : `shot "${id}"`
    return path.length > 2 ? `in ${path.slice(2).join('.')} of ${shot}` : `in ${shot}`
  }
  return `in ${path.join('.')}`
}

function shotId(data: unknown, index: number): string | undefined {
  const shots = (data as { shots?: unknown } | undefined)?.shots
  const id = Array.isArray(shots) ? (shots[index] as { id?: unknown } | undefined)?.id : undefined
  return typeof id === 'string' ? id : undefined
}

/** The key a value sits under, for messages: "duration", "shot #2", "output". */
function nameOf(path: readonly PathSegment[], data: unknown): string {
  const last = path.at(-1)
  if (last === undefined) return 'the storyboard'
  if (typeof last === 'number') return path[0] === 'shots' && path.length === 2 ? `shot #${last + 1}` : `item #${last + 1}`
  const parent = path.slice(0, -1)
  return parent.length === 0 ? last : `${last} ${where(parent, data)}`
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  object: 'a mapping (key: value lines)',
  array: 'a list',
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'empty',
}

function typeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

function shown(value: unknown): string {
  if (value === null || value === undefined) return 'nothing'
  if (typeof value === 'object') return TYPE_WORDS[typeOf(value)]!
  return JSON.stringify(value)
}

const PATTERN_HINTS: Readonly<Record<string, string>> = {
  id: 'may use only letters, digits, - and _, starting with a letter or digit (at most 64 characters)',
  file: 'must be a file name ending in .mp4, .mov, .mkv or .webm, without folders',
}

function describe(error: ErrorObject, path: readonly PathSegment[], data: unknown): { code: IssueCode; message: string; at?: 'key' } {
  const name = nameOf(path, data)
  const parentSchema = (error.parentSchema ?? {}) as { properties?: Record<string, unknown>; minimum?: number; maximum?: number }
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty)
      const allowed = Object.keys(parentSchema.properties ?? {})
      const hint = didYouMean(key, allowed) || `; allowed keys: ${allowed.join(', ')}`
      return { code: 'CORE_UNKNOWN_KEY', message: `unknown key "${key}" ${where(path, data)}${hint}`, at: 'key' }
    }
    case 'required':
      return { code: 'CORE_MISSING_KEY', message: `missing "${String(error.params.missingProperty)}" ${where(path, data)}` }
    case 'type': {
      const expected = String(error.params.type)
      return { code: 'CORE_TYPE', message: `${name} must be ${TYPE_WORDS[expected] ?? expected}, not ${shown(error.data)}` }
    }
    case 'anyOf': {
      const types = [...new Set(((error.schema ?? []) as { type?: string }[]).map((branch) => TYPE_WORDS[branch.type ?? ''] ?? 'something else'))]
      return { code: 'CORE_TYPE', message: `${name} must be ${types.join(' or ')}, not ${shown(error.data)}` }
    }
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[]).map(String)
      return { code: 'CORE_ENUM', message: `${name} must be one of ${allowed.join(', ')}, not ${shown(error.data)}${didYouMean(String(error.data), allowed)}` }
    }
    case 'const':
      return { code: 'CORE_ENUM', message: `${name} must be ${JSON.stringify(error.params.allowedValue)}, not ${shown(error.data)}` }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const { minimum, maximum } = parentSchema
      const range =
        minimum !== undefined && maximum !== undefined ? `between ${minimum} and ${maximum}` : `${String(error.params.comparison)} ${String(error.params.limit)}`
      return { code: 'CORE_OUT_OF_RANGE', message: `${name} must be ${range}, not ${shown(error.data)}` }
    }
    case 'multipleOf':
      return { code: 'CORE_OUT_OF_RANGE', message: `${name} must be an even number (video encoders need even sizes), not ${shown(error.data)}` }
    case 'minLength':
      return { code: 'CORE_SCHEMA', message: `${name} must not be empty` }
    case 'minItems':
      return { code: 'CORE_SCHEMA', message: `${name} must list at least one shot` }
    case 'pattern': {
      const key = String(path.at(-1))
      const hint = PATTERN_HINTS[key] ?? `must match ${String(error.params.pattern)}`
      if (key === 'id') return { code: 'CORE_SCHEMA', message: `shot id ${shown(error.data)} ${hint}` }
      return { code: 'CORE_SCHEMA', message: `${name} ${hint}, not ${shown(error.data)}` }
    }
    default:
      return { code: 'CORE_SCHEMA', message: `${name} ${error.message ?? 'is invalid'}` }
  }
}
