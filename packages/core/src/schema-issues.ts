import type { ErrorObject } from 'ajv'
import { isScalar } from 'yaml'
import type { Issue, IssueCode } from './issue.ts'
import { collapseAnyOf, withoutMisspelledRequired } from './schema-error-filters.ts'
import { didYouMean } from './suggest.ts'
import type { PathSegment, YamlSource } from './yaml-source.ts'

/** Turns ajv's errors into located, readable findings. */
export function schemaIssues(errors: readonly ErrorObject[], source: YamlSource): Issue[] {
  return withoutMisspelledRequired(collapseAnyOf(errors)).map((error) => {
    const path = pointerToPath(error.instancePath)
    const { code, message, at } = describe(error, path, source.data, writtenAs(source, path))
    const target = at === 'key' ? [...path, String(error.params.additionalProperty)] : path
    return source.issue(code, target, message, { at })
  })
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
  if (typeof last === 'number')
    return path[0] === 'shots' && path.length === 2 ? `shot #${last + 1}` : `item #${last + 1}`
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

/** The value's text in the file, for numbers YAML reads as NaN or infinity (`.nan`, `.inf`, `1e400`). */
function writtenAs(source: YamlSource, path: readonly PathSegment[]): string | undefined {
  const node = source.doc.getIn(path, true)
  if (!isScalar(node) || typeof node.value !== 'number' || Number.isFinite(node.value)) return undefined
  return (node as { source?: string }).source ?? String(node.value)
}

function nonFinite(value: number, written: string): string {
  if (Number.isNaN(value)) return `${written} (not a number)`
  return /inf/i.test(written) ? `${written} (infinity)` : `${written} (too large: YAML reads it as infinity)`
}

function shown(value: unknown, written?: string): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return nonFinite(value, written ?? String(value))
  if (value === null || value === undefined) return 'nothing'
  if (typeof value === 'object') return TYPE_WORDS[typeOf(value)]!
  return JSON.stringify(value)
}

/**
 * Merge keys are a YAML 1.1 type, not part of YAML 1.2 (which editors and the
 * schema follow), they would bypass the duplicate-key check, and values merged
 * in could not be located for messages; `defaults` already shares settings.
 */
const MERGE_KEY_MESSAGE =
  'merge keys (<<) are not supported in storyboards: put settings shared by every shot in defaults, or write the keys out (an alias such as prompt: *sea can still repeat one value)'

function controlName(char: string): string {
  const code = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
  const names: Record<string, string> = {
    '\n': 'a line break',
    '\r': 'a carriage return',
    '\t': 'a tab',
    '\u001b': 'an escape character',
  }
  return `${names[char] ?? 'a control character'} (${code})`
}

const PATTERN_HINTS: Readonly<Record<string, string>> = {
  id: 'may use only letters, digits, - and _, starting with a letter or digit (at most 64 characters)',
  file: 'must be a file name ending in .mp4, .mov, .mkv or .webm, without folders',
}

function describe(
  error: ErrorObject,
  path: readonly PathSegment[],
  data: unknown,
  written?: string,
): { code: IssueCode; message: string; at?: 'key' } {
  const name = nameOf(path, data)
  const value = shown(error.data, written)
  const parentSchema = (error.parentSchema ?? {}) as {
    properties?: Record<string, unknown>
    minimum?: number
    maximum?: number
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty)
      if (key === '<<') return { code: 'CORE_YAML_MERGE_KEY', message: MERGE_KEY_MESSAGE, at: 'key' }
      const allowed = Object.keys(parentSchema.properties ?? {})
      const hint = didYouMean(key, allowed) || `; allowed keys: ${allowed.join(', ')}`
      return {
        code: 'CORE_UNKNOWN_KEY',
        message: `unknown key "${key}" ${where(path, data)}${hint}`,
        at: 'key',
      }
    }
    case 'required':
      return {
        code: 'CORE_MISSING_KEY',
        message: `missing "${String(error.params.missingProperty)}" ${where(path, data)}`,
      }
    case 'type': {
      const expected = String(error.params.type)
      return {
        code: 'CORE_TYPE',
        message: `${name} must be ${TYPE_WORDS[expected] ?? expected}, not ${value}`,
      }
    }
    case 'anyOf': {
      const types = [
        ...new Set(
          ((error.schema ?? []) as { type?: string }[]).map(
            (branch) => TYPE_WORDS[branch.type ?? ''] ?? 'something else',
          ),
        ),
      ]
      return { code: 'CORE_TYPE', message: `${name} must be ${types.join(' or ')}, not ${value}` }
    }
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[]).map(String)
      return {
        code: 'CORE_ENUM',
        message: `${name} must be one of ${allowed.join(', ')}, not ${value}${didYouMean(String(error.data), allowed)}`,
      }
    }
    case 'const':
      return {
        code: 'CORE_ENUM',
        message: `${name} must be ${JSON.stringify(error.params.allowedValue)}, not ${value}`,
      }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const { minimum, maximum } = parentSchema
      const range =
        minimum !== undefined && maximum !== undefined
          ? `between ${minimum} and ${maximum}`
          : `${String(error.params.comparison)} ${String(error.params.limit)}`
      return { code: 'CORE_OUT_OF_RANGE', message: `${name} must be ${range}, not ${value}` }
    }
    case 'multipleOf':
      return {
        code: 'CORE_OUT_OF_RANGE',
        message: `${name} must be an even number (video encoders need even sizes), not ${value}`,
      }
    case 'minLength':
      return { code: 'CORE_SCHEMA', message: `${name} must not be empty` }
    case 'minItems':
      return { code: 'CORE_SCHEMA', message: `${name} must list at least one shot` }
    case 'pattern': {
      const key = String(path.at(-1))
      const control = typeof error.data === 'string' ? /[\u0000-\u001f\u007f-\u009f]/u.exec(error.data) : null
      if (control) {
        // The value itself is not repeated: printed, it would drive the terminal.
        return {
          code: 'CORE_SCHEMA',
          message: `${name} contains ${controlName(control[0])} at character ${control.index + 1}; it may hold printable characters only`,
        }
      }
      const hint = PATTERN_HINTS[key] ?? `must match ${String(error.params.pattern)}`
      if (key === 'id') return { code: 'CORE_SCHEMA', message: `shot id ${value} ${hint}` }
      return { code: 'CORE_SCHEMA', message: `${name} ${hint}, not ${value}` }
    }
    default:
      return { code: 'CORE_SCHEMA', message: `${name} ${error.message ?? 'is invalid'}` }
  }
}
