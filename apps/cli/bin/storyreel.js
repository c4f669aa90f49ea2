#!/usr/bin/env node
// Runs the CLI from its TypeScript source inside this repository (`pnpm storyreel`, the tests).
// The published bin is dist/storyreel.mjs (publishConfig.bin), built from src/bin.ts by `pnpm build`.
import { register } from 'node:module'
import { register as registerTsx } from 'tsx/esm/api'

register('./source-condition.mjs', import.meta.url)
registerTsx()
await import('../src/bin.ts')
