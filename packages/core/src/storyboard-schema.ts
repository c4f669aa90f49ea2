import type { ErrorObject } from 'ajv'
import schema from '../storyboard.schema.json' with { type: 'json' }
import { validate as compiled } from './generated/storyboard-validator.ts'

/** The storyboard's JSON Schema (draft-07), as editors and `storyreel schema` see it. */
export const storyboardSchema: Readonly<Record<string, unknown>> = schema

interface CompiledValidator {
  (data: unknown): boolean
  errors?: ErrorObject[] | null
}

// Compiled ahead of time into src/generated (scripts/validator-source.ts): importing ajv and
// compiling the schema at run time cost most of `storyreel validate`'s start-up.
// `verbose` gives each error its parent schema, which the messages need (allowed keys, ranges).
// The shot schema sits inline under `shots.items`, not in `definitions`: ajv
// compiles a $ref'd schema that has $refs of its own into a separate function
// and concatenates its errors onto the list, which is quadratic when thousands
// of shots each have an error.
const validate = compiled as CompiledValidator

/** Every way `data` breaks the schema; empty when it conforms. */
export function schemaErrors(data: unknown): ErrorObject[] {
  return validate(data) ? [] : [...(validate.errors ?? [])]
}
