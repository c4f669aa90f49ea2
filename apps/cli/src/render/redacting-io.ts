import { redact } from '@storyreel/scheduler'
import type { CliIo } from '../cli-io.ts'

/** What must never be printed or written: the API key, as the client reads it. */
export function secretsOf(env: CliIo['env']): string[] {
  const key = env.WAVESPEED_API_KEY?.trim()
  return key ? [key] : []
}

/** `io` with every write scrubbed of `secrets`: what the API sends back (ids, messages, URLs) is printed through it. */
export function redactingIo(io: CliIo, secrets: readonly string[]): CliIo {
  if (secrets.length === 0) return io
  const scrub = (stream: CliIo['stdout']) => ({
    write: (text: string) => stream.write(redact(text, secrets)),
  })
  return { ...io, stdout: scrub(io.stdout), stderr: scrub(io.stderr) }
}
