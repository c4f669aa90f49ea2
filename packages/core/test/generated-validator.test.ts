import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { VALIDATOR_FILE, validatorSource } from '../scripts/validator-source.ts'

test('the compiled schema validator is generated from the current storyboard.schema.json', () => {
  // If this fails, the schema changed: run `pnpm --filter @storyreel/core generate` and commit the result.
  expect(readFileSync(VALIDATOR_FILE, 'utf8')).toBe(validatorSource())
})
