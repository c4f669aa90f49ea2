/**
 * The one place where @storyreel/assembler starts a process. Arguments always
 * travel as an array straight to the binary: no shell, so no quoting of paths.
 *
 * fluent-ffmpeg was archived upstream (2025) and builds its own command lines,
 * so it is not used: this adapter gives everything it offered that we need
 * (spawn, progress, stderr capture) in a few lines and can be swapped freely.
 */
import { spawn } from 'node:child_process'
import { AssemblerError } from '../errors.ts'

export interface RunToolOptions {
  readonly signal?: AbortSignal | undefined
  /** Called with each complete line the tool writes to stdout. */
  readonly onStdoutLine?: ((line: string) => void) | undefined
  /** Keep the whole stdout (for ffprobe's JSON); otherwise it is only streamed to `onStdoutLine`. */
  readonly captureStdout?: boolean
  /** How many trailing stderr lines to keep for errors and parsers; default 40. */
  readonly stderrLines?: number
}

export interface ToolOutput {
  readonly stdout: string
  /** The last `stderrLines` lines of stderr. */
  readonly stderrTail: string
}

/** Runs `bin args…`, resolving with its output when it exits with 0 and rejecting with FFMPEG_EXIT otherwise. */
export function runTool(bin: string, args: readonly string[], options: RunToolOptions = {}): Promise<ToolOutput> {
  const { signal, onStdoutLine, captureStdout = false, stderrLines = 40 } = options
  if (signal?.aborted) return Promise.reject(signal.reason)
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true })
    const stdoutChunks: string[] = []
    let stdoutPartial = ''
    const tail: string[] = []
    let stderrPartial = ''
    const pushStderrLine = (line: string): void => {
      tail.push(line)
      if (tail.length > stderrLines) tail.shift()
    }
    child.stdout.setEncoding('utf8')
    child.stderr.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      if (captureStdout) stdoutChunks.push(chunk)
      if (!onStdoutLine) return
      const lines = (stdoutPartial + chunk).split('\n')
      stdoutPartial = lines.pop() ?? ''
      for (const line of lines) onStdoutLine(line.trimEnd())
    })
    child.stderr.on('data', (chunk: string) => {
      const lines = (stderrPartial + chunk).split(/\r?\n|\r/)
      stderrPartial = lines.pop() ?? ''
      for (const line of lines) if (line.trim() !== '') pushStderrLine(line)
    })
    const onAbort = (): void => {
      child.kill('SIGKILL')
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    child.on('error', (error: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', onAbort)
      const message =
        error.code === 'ENOENT'
          ? `Could not start ${bin}: no such file. Install ffmpeg (apt-get install ffmpeg) or set FFMPEG_PATH/FFPROBE_PATH.`
          : `Could not start ${bin}: ${error.message}.`
      reject(new AssemblerError('FFMPEG_NOT_FOUND', message, { cause: error, args }))
    })
    child.on('close', (exitCode, killedBy) => {
      signal?.removeEventListener('abort', onAbort)
      if (stderrPartial.trim() !== '') pushStderrLine(stderrPartial)
      if (onStdoutLine && stdoutPartial !== '') onStdoutLine(stdoutPartial.trimEnd())
      const stderrTail = tail.join('\n')
      if (signal?.aborted) return reject(signal.reason)
      if (exitCode === 0) return resolve({ stdout: stdoutChunks.join(''), stderrTail })
      const lastLines = tail.slice(-8).join('\n') || `(no output; killed by ${killedBy ?? 'nothing'})`
      reject(
        new AssemblerError('FFMPEG_EXIT', `${bin} failed with exit code ${exitCode ?? killedBy}:\n${lastLines}`, {
          stderr: stderrTail,
          exitCode,
          args,
        }),
      )
    })
  })
}
