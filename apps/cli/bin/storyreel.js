#!/usr/bin/env node
// Runs the CLI from its TypeScript source: the workspace has no build step.
import { register } from 'tsx/esm/api'

// The reader went away (`storyreel models | head`): stop quietly, as other tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error
    process.exit(process.exitCode ?? 0)
  })
}

register()
const { main } = await import('../src/main.ts')
process.exitCode = await main(process.argv.slice(2))
