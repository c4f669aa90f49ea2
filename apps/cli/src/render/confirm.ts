import { createInterface } from 'node:readline/promises'
import type { Readable, Writable } from 'node:stream'

/** Asks a yes/no question on a terminal; anything but y/yes, and Ctrl-C, is a no. */
export async function confirm(question: string, input: Readable, output: Writable): Promise<boolean> {
  const rl = createInterface({ input, output })
  const cancel = new AbortController()
  // Without a listener readline only pauses on Ctrl-C, and the question would wait forever.
  rl.on('SIGINT', () => cancel.abort())
  try {
    const answer = await rl.question(`${question} [y/N] `, { signal: cancel.signal })
    return /^y(es)?$/i.test(answer.trim())
  } catch {
    output.write('\n')
    return false
  } finally {
    rl.close()
  }
}
