import { redact } from '@storyreel/scheduler'

/** Where a command reads its environment and writes its output; tests pass their own. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown }
  readonly stderr: { write(text: string): unknown }
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  /** True when stdout is a terminal (colour, live progress). */
  readonly isTTY: boolean
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env, isTTY: process.stdout.isTTY === true }
}

/** What must never be printed or written: the API key, as the client reads it. */
export function secretsOf(env: CliIo['env']): string[] {
  const key = env.WAVESPEED_API_KEY?.trim()
  return key ? [key] : []
}

/** `io` with every write scrubbed of `secrets`: what the API sends back (ids, messages, URLs) is printed through it. */
export function redactingIo(io: CliIo, secrets: readonly string[]): CliIo {
  if (secrets.length === 0) return io
  const scrub = (stream: CliIo['stdout']) => ({ write: (text: string) => stream.write(redact(text, secrets)) })
  return { ...io, stdout: scrub(io.stdout), stderr: scrub(io.stderr) }
}
