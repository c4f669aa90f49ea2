/** Rewrites src/generated/storyboard-validator.ts from storyboard.schema.json: `pnpm --filter @storyreel/core generate`. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { VALIDATOR_FILE, validatorSource } from './validator-source.ts'

mkdirSync(new URL('.', VALIDATOR_FILE), { recursive: true })
writeFileSync(VALIDATOR_FILE, validatorSource())
console.log(`wrote ${fileURLToPath(VALIDATOR_FILE)}`)
