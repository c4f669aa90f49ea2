import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import standalone from 'ajv/dist/standalone/index.js'

/** Where the generated validator lives; `pnpm --filter @storyreel/core generate` rewrites it. */
export const VALIDATOR_FILE = new URL('../src/generated/storyboard-validator.ts', import.meta.url)

/**
 * The storyboard schema compiled by ajv into a standalone module. Importing ajv and compiling
 * the schema cost most of `storyreel validate`'s start-up; the compiled code costs neither.
 * Same options as a runtime compile would use: `allErrors`, `strict`, and `verbose` (each
 * error carries its parent schema, which the messages need).
 */
export function validatorSource(): string {
  const schema = JSON.parse(
    readFileSync(new URL('../storyboard.schema.json', import.meta.url), 'utf8'),
  ) as object
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    verbose: true,
    code: { source: true, esm: true, lines: true },
  })
  const code = standalone
    .default(ajv, ajv.compile(schema))
    // ajv's ESM output still `require`s its one runtime helper; it is inlined below (the generated module imports nothing).
    .replace(/require\("ajv\/dist\/runtime\/ucs2length"\)\.default/g, 'ucs2length')
    .replace(/^"use strict";/, '')
    .replace(/^export default \w+;\n/m, '')
  if (code.includes('require('))
    throw new Error('the generated validator needs another ajv runtime helper: import it here')
  return [
    '// @ts-nocheck',
    '// Generated from storyboard.schema.json by scripts/generate-validator.ts; do not edit.',
    '// Run `pnpm --filter @storyreel/core generate` after changing the schema (a test checks it is current).',
    '// Length in code points, as JSON Schema counts `minLength`/`maxLength` (ajv/dist/runtime/ucs2length).',
    'function ucs2length(str) {',
    '  let length = 0',
    '  for (let pos = 0; pos < str.length; length++) {',
    '    const value = str.charCodeAt(pos++)',
    '    if (value >= 0xd800 && value <= 0xdbff && pos < str.length && (str.charCodeAt(pos) & 0xfc00) === 0xdc00) pos++',
    '  }',
    '  return length',
    '}',
    code,
    '',
  ].join('\n')
}
