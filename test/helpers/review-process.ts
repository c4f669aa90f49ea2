import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const BIN = fileURLToPath(new URL('../../apps/cli/bin/storyreel.js', import.meta.url))

export interface ReviewProcess {
  readonly url: string
  readonly child: ChildProcess
  /** Everything the command wrote to stderr so far. */
  stderr(): string
  /** Ctrl-C, then the exit code. */
  interrupt(): Promise<number | null>
}

/** `storyreel review ARGS` in a child process, as a user runs it, once it has printed its address. */
export function startReview(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string | undefined> },
): Promise<ReviewProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    STORYREEL_CACHE_DIR: `${options.cwd}/cache`,
  }
  delete env.WAVESPEED_API_KEY
  delete env.WAVESPEED_BASE_URL
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name]
    else env[name] = value
  }
  const child = spawn(process.execPath, [BIN, 'review', ...args], {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`storyreel review printed no address in 30 s:\n${err}`)),
      30_000,
    )
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const url = /^Review: (http:\/\/\S+)$/m.exec(out)?.[1]
      if (!url) return
      clearTimeout(timer)
      resolve({
        url,
        child,
        stderr: () => err,
        interrupt: () => {
          child.kill('SIGINT')
          return exited
        },
      })
    })
    void exited.then((code) =>
      reject(new Error(`storyreel review exited (${code}) before printing its address:\n${err}`)),
    )
  })
}
