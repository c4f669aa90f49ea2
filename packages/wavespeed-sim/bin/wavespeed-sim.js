#!/usr/bin/env node
// Runs the simulator CLI from its TypeScript source: the workspace has no build step.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/cli.ts')
process.exitCode = await main(process.argv.slice(2))
