#!/usr/bin/env node
// Runs the CLI from its TypeScript source inside this repository (`pnpm storyreel`, the tests).
// The published bin is dist/storyreel.mjs (publishConfig.bin), built from src/bin.ts by `pnpm build`.
import { register } from 'node:module'
import { register as registerTsx } from 'tsx/esm/api'

// Workspace packages then resolve to their src/ through the `@storyreel/source` export condition, as in vitest.
register('data:text/javascript,export function resolve(s,c,n){return n(s,{...c,conditions:[...c.conditions,"@storyreel/source"]})}')
registerTsx()
await import('../src/bin.ts')
