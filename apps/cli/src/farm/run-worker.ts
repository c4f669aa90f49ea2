import { resolve } from 'node:path'
import { openFsStore, startWorker, type WorkerLog } from '@storyreel/farm'
import type { CliIo } from '../cli-io.ts'
import { EXIT } from '../command.ts'
import { JSON_VERSION } from '../output/json-version.ts'
import { cacheDirOf } from '../render/cache-dir.ts'
import { redactingIo, secretsOf } from '../render/redacting-io.ts'
import { assembleLikeLocal, clipHooks, providerFromEnv } from './worker-hooks.ts'

export interface WorkerCommandOptions {
  readonly redis: string
  readonly concurrency: number
  readonly store: string
  readonly keyConcurrency?: number
  readonly json: boolean
}

/**
 * `storyreel worker`: takes shot and assembly jobs until SIGTERM or Ctrl-C, then hands back
 * what it holds and exits 0. One line per job state on stdout (NDJSON with --json).
 */
export async function runWorker(options: WorkerCommandOptions, processIo: CliIo): Promise<number> {
  const secrets = secretsOf(processIo.env)
  const io = redactingIo(processIo, secrets)
  const cacheDir = cacheDirOf(processIo.env as NodeJS.ProcessEnv, io.cwd)
  const print = (line: WorkerLog) =>
    io.stdout.write(
      options.json
        ? `${JSON.stringify({ ...line, version: JSON_VERSION })}\n`
        : `${new Date(line.at).toISOString()} ${line.message}\n`,
    )
  const stopped = new Promise<void>((resolveStop) => {
    const onSignal = () => {
      process.off('SIGTERM', onSignal)
      process.off('SIGINT', onSignal)
      resolveStop()
    }
    process.on('SIGTERM', onSignal)
    process.on('SIGINT', onSignal)
  })
  const worker = await startWorker({
    redisUrl: options.redis,
    store: openFsStore(resolve(io.cwd, options.store)),
    concurrency: options.concurrency,
    ...(options.keyConcurrency === undefined ? {} : { keyConcurrency: options.keyConcurrency }),
    provider: providerFromEnv(processIo.env as NodeJS.ProcessEnv, cacheDir),
    hooks: clipHooks,
    assemble: assembleLikeLocal(secrets, cacheDir),
    secrets,
    log: print,
    ...(io.env.STORYREEL_WORKER_LOCK_MS ? { lockMs: Number(io.env.STORYREEL_WORKER_LOCK_MS) } : {}),
  })
  await stopped
  await worker.stop()
  return EXIT.ok
}
