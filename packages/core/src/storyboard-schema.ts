import { Ajv, type ErrorObject } from 'ajv'
import schema from '../storyboard.schema.json' with { type: 'json' }

/** The storyboard's JSON Schema (draft-07), as editors and `storyreel schema` see it. */
export const storyboardSchema: Readonly<Record<string, unknown>> = schema

// Compiled once: compiling costs far more than validating. `verbose` gives each
// error its parent schema, which the messages need (allowed keys, ranges).
// The shot schema sits inline under `shots.items`, not in `definitions`: ajv
// compiles a $ref'd schema that has $refs of its own into a separate function
// and concatenates its errors onto the list, which is quadratic when thousands
// of shots each have an error.
const ajv = new Ajv({ allErrors: true, strict: true, verbose: true })
const validate = ajv.compile(schema)

/** Every way `data` breaks the schema; empty when it conforms. */
export function schemaErrors(data: unknown): ErrorObject[] {
  return validate(data) ? [] : [...(validate.errors ?? [])]
}
