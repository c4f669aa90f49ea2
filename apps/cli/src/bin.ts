#!/usr/bin/env node
import { main } from './main.ts'

// The reader went away (`storyreel models | head`): stop quietly, as other tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    process.exit(process.exitCode ?? 0)
  })
}

process.exitCode = await main(process.argv.slice(2))
