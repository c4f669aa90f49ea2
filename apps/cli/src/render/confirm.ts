import { createInterface } from 'node:readline/promises'
import type { Readable, Writable } from 'node:stream'

/** Asks a yes/no question on a terminal; anything but y/yes is a no. */
export async function confirm(question: string, input: Readable, output: Writable, signal?: AbortSignal): Promise<boolean> {
  const rl = createInterface({ input, output })
  try {
    const answer = await rl.question(`${question} [y/N] `, signal ? { signal } : {})
    return /^y(es)?$/i.test(answer.trim())
  } catch {
    return false
  } finally {
    rl.close()
  }
}
