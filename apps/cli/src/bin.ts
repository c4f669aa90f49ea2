#!/usr/bin/env node
import * as nodeModule from 'node:module'

// Node 22.1+ keeps compiled code between runs (a no-op before that), which shortens every start.
;(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.()

// The reader went away (`storyreel models | head`): stop quietly, as other tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    process.exit(process.exitCode ?? 0)
  })
}

// Imported after the compile cache is on, so the CLI's own modules use it.
const { main } = await import('./main.ts')
process.exitCode = await main(process.argv.slice(2))
