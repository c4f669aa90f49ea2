import { spawn } from 'node:child_process'
import { SimError } from './errors.ts'

const STDERR_TAIL = 2000

/**
 * Runs ffmpeg with an argument array (no shell). The simulator keeps its own
 * spawn point because the assembler package does not export one yet.
 */
export function runFfmpeg(args: readonly string[], options: { signal?: AbortSignal } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      signal: options.signal,
    })
    let stderr = ''
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (text: string) => {
      stderr = (stderr + text).slice(-STDERR_TAIL)
    })
    child.on('error', (cause) => {
      if (options.signal?.aborted) reject(options.signal.reason)
      else reject(new SimError('SIM_FFMPEG_FAILED', `Could not run ffmpeg: ${cause.message}. Install ffmpeg 5.1 or later on PATH.`, { cause }))
    })
    child.on('close', (exitCode) => {
      if (exitCode === 0) resolve()
      else if (options.signal?.aborted) reject(options.signal.reason)
      else reject(new SimError('SIM_FFMPEG_FAILED', `ffmpeg exited with code ${exitCode} while rendering a simulated clip: ${stderr.trim()}`, { details: { exitCode, stderr } }))
    })
  })
}
