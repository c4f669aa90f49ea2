/**
 * The one place where @storyreel/assembler starts a process, and the only
 * importer of fluent-ffmpeg in the repository: the package is archived upstream,
 * so keeping it behind this adapter lets it be replaced without touching callers.
 *
 * ffmpeg jobs (encodes, filter graphs, frame grabs) run through fluent-ffmpeg
 * with our argument arrays passed through unsplit. ffprobe, listings and
 * fc-match are plain spawns: fluent-ffmpeg has no way to run them with raw
 * arguments and a JSON stdout. Either way there is no shell, so no quoting.
 */
import { spawn } from 'node:child_process'
import { constants, setPriority } from 'node:os'
import ffmpeg from 'fluent-ffmpeg'
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
export function runTool(
  bin: string,
  args: readonly string[],
  options: RunToolOptions = {},
): Promise<ToolOutput> {
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
        new AssemblerError(
          'FFMPEG_EXIT',
          `${bin} failed with exit code ${exitCode ?? killedBy}:\n${lastLines}`,
          {
            stderr: stderrTail,
            exitCode,
            args,
          },
        ),
      )
    })
  })
}

export interface RunFfmpegJobOptions {
  readonly signal?: AbortSignal | undefined
  /** Called with each stderr line (ffmpeg writes `-progress pipe:2` reports there). */
  readonly onStderrLine?: ((line: string) => void) | undefined
  /** Lines that are reports rather than diagnostics, left out of the kept tail. */
  readonly isReportLine?: ((line: string) => boolean) | undefined
  /** How many trailing stderr lines to keep for errors and parsers; default 40. */
  readonly stderrLines?: number
  /** Below normal CPU priority, so that processes that matter more take the cores first (see FfmpegPriority). */
  readonly priority?: FfmpegPriority | undefined
}

/**
 * fluent-ffmpeg asks `ffmpeg -formats` and `-encoders` (a process start each, once
 * per process) to check formats and codecs and to add `-strict experimental` for
 * experimental `-acodec`/`-vcodec` values. Every format and codec here comes from
 * this package, which checks what it needs against the cached capabilities
 * (locate.ts) and never passes `-acodec`/`-vcodec`, so both are answered without
 * asking ffmpeg. These methods are private, but fluent-ffmpeg is archived: they will not change.
 */
const NO_CAPABILITY_PROBES = {
  _checkCapabilities: (done: (error?: Error) => void) => done(),
  availableEncoders: (done: (error: Error | null, encoders: Record<string, never>) => void) => done(null, {}),
}

/**
 * Rebuilds an argument array as a fluent-ffmpeg command: each `-i SOURCE` with the
 * options before it becomes an input, the rest output options and the target.
 * fluent-ffmpeg emits inputs, then `-y`, then outputs, so the command line is the
 * same, and its format check sees `-f lavfi` as the input format it is.
 * Options go in as several arguments, which fluent-ffmpeg passes through
 * unsplit (a flag always travels with its value, so a list is never a lone string).
 */
function toFluentCommand(bin: string, args: readonly string[]): ffmpeg.FfmpegCommand {
  const command = Object.assign(ffmpeg().setFfmpegPath(bin), NO_CAPABILITY_PROBES)
  let pending: string[] = []
  for (let i = 0; i < args.length - 1; i++) {
    const arg = args[i]!
    if (arg === '-i' && i + 1 < args.length - 1) {
      command.input(args[++i]!)
      if (pending.length > 0) command.inputOptions(...pending)
      pending = []
    } else pending.push(arg)
  }
  command.output(args.at(-1)!)
  if (pending.length > 0) command.outputOptions(...pending)
  return command
}

/**
 * Runs one ffmpeg job through fluent-ffmpeg. `args` is a whole command line
 * whose last element is the output target; fluent-ffmpeg adds `-y` in front.
 */
export function runFfmpegJob(
  bin: string,
  args: readonly string[],
  options: RunFfmpegJobOptions = {},
): Promise<ToolOutput> {
  const { signal, onStderrLine, isReportLine, stderrLines = 40, priority = 'normal' } = options
  if (signal?.aborted) return Promise.reject(signal.reason)
  const target = args.at(-1)
  if (target === undefined)
    return Promise.reject(new TypeError('Expected `args` to end with the output target'))
  return new Promise((resolve, reject) => {
    const tail: string[] = []
    const command = toFluentCommand(bin, args)
    const onAbort = (): void => {
      command.kill('SIGKILL')
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    if (priority !== 'normal') command.on('start', () => lowerPriority(command, priority))
    command.on('stderr', (line: string) => {
      onStderrLine?.(line)
      if (line.trim() === '' || isReportLine?.(line)) return
      tail.push(line)
      if (tail.length > stderrLines) tail.shift()
    })
    command.on('end', () => {
      signal?.removeEventListener('abort', onAbort)
      resolve({ stdout: '', stderrTail: tail.join('\n') })
    })
    command.on('error', (error: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', onAbort)
      if (signal?.aborted) return reject(signal.reason)
      if (error.code === 'ENOENT' || error.code === 'EACCES') {
        return reject(
          new AssemblerError(
            'FFMPEG_NOT_FOUND',
            `Could not start ${bin}: ${error.code === 'ENOENT' ? 'no such file' : 'not executable'}. Install ffmpeg (apt-get install ffmpeg) or set FFMPEG_PATH.`,
            { cause: error, args },
          ),
        )
      }
      const exitCode = Number(/exited with code (\d+)/.exec(error.message)?.[1] ?? Number.NaN)
      const lastLines = tail.slice(-8).join('\n') || `(no output; ${error.message.split(':')[0]})`
      reject(
        new AssemblerError(
          'FFMPEG_EXIT',
          `${bin} failed with exit code ${Number.isNaN(exitCode) ? 'unknown' : exitCode}:\n${lastLines}`,
          {
            stderr: tail.join('\n'),
            exitCode: Number.isNaN(exitCode) ? null : exitCode,
            args,
          },
        ),
      )
    })
    command.run()
  })
}

/**
 * How much CPU a job yields: `low` (nice 10) to every process at normal priority, `lowest` (nice 19) to
 * `low` jobs too. A job cannot be raised again later: an unprivileged process may only lower its priority.
 */
export type FfmpegPriority = 'normal' | 'low' | 'lowest'

function lowerPriority(command: ffmpeg.FfmpegCommand, priority: Exclude<FfmpegPriority, 'normal'>): void {
  const pid = (command as { ffmpegProc?: { pid?: number } }).ffmpegProc?.pid
  try {
    if (pid !== undefined)
      setPriority(
        pid,
        priority === 'low' ? constants.priority.PRIORITY_BELOW_NORMAL : constants.priority.PRIORITY_LOW,
      )
  } catch {
    // A priority is a hint: where it cannot be set, the job still runs.
  }
}
