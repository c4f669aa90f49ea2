import type { SimModel, SimParam } from './models.ts'

/** Body flags every model accepts besides its own parameters. */
export const RESERVED_FLAGS = ['enable_sync_mode', 'enable_base64_output'] as const

export type ValidatedInput =
  | { readonly ok: true; readonly input: Record<string, unknown>; readonly dropped: string[] }
  | { readonly ok: false; readonly message: string }

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

function checkParam(name: string, spec: SimParam, value: unknown): string | undefined {
  const got = `(got ${describe(value)})`
  if (spec.type === 'string') {
    if (typeof value !== 'string') return `\`${name}\` must be a string ${got}`
    if (spec.maxLength !== undefined && value.length > spec.maxLength) {
      return `\`${name}\` is ${value.length} characters long; the maximum is ${spec.maxLength}`
    }
  } else {
    if (typeof value !== 'number' || !Number.isFinite(value)) return `\`${name}\` must be a number ${got}`
    if (spec.type === 'integer' && !Number.isInteger(value)) return `\`${name}\` must be an integer ${got}`
    if (spec.min !== undefined && value < spec.min) return `\`${name}\` must be at least ${spec.min} ${got}`
    if (spec.max !== undefined && value > spec.max) return `\`${name}\` must be at most ${spec.max} ${got}`
  }
  if (spec.enum && !spec.enum.includes(value as string | number)) {
    return `\`${name}\` must be one of ${spec.enum.join(', ')} ${got}`
  }
  return undefined
}

/**
 * Checks a submit body against the model's parameters the way the API's entry
 * whitelist does: keys the model does not take are dropped (and reported), not
 * rejected; known keys with bad values and missing required keys are rejected.
 */
export function validateInput(model: SimModel, body: Readonly<Record<string, unknown>>): ValidatedInput {
  const input: Record<string, unknown> = {}
  const dropped: string[] = []
  for (const [name, value] of Object.entries(body)) {
    if ((RESERVED_FLAGS as readonly string[]).includes(name)) {
      if (typeof value !== 'boolean')
        return {
          ok: false,
          message: `Invalid parameter: \`${name}\` must be a boolean (got ${describe(value)})`,
        }
      continue
    }
    const spec = model.params[name]
    if (!spec) {
      dropped.push(name)
      continue
    }
    if (value === null || value === undefined) continue
    const problem = checkParam(name, spec, value)
    if (problem) return { ok: false, message: `Invalid parameter for ${model.id}: ${problem}.` }
    input[name] = value
  }
  for (const [name, spec] of Object.entries(model.params)) {
    if (spec.required && (input[name] === undefined || input[name] === '')) {
      return { ok: false, message: `Missing required parameter for ${model.id}: \`${name}\`.` }
    }
  }
  return { ok: true, input, dropped }
}

/** The input with the model's defaults filled in: what the render actually uses. */
export function withDefaults(
  model: SimModel,
  input: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const effective: Record<string, unknown> = {}
  for (const [name, spec] of Object.entries(model.params))
    if (spec.default !== undefined) effective[name] = spec.default
  return { ...effective, ...input }
}
