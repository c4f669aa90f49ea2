import { isSchedulerError, type SchedulerErrorOf } from '@storyreel/scheduler'
import { EXIT, UsageError } from '../command.ts'
import { escapeControl } from '../output/escape.ts'

/**
 * Turns anything a render can throw into one message a user can act on and the
 * exit code: 1 for a render or validation failure, 2 for a usage error, 130
 * when interrupted. Library errors already say what happened and what to do,
 * so their message is kept; system errors (disk full, permissions) get one here.
 */

/** A failure the CLI itself detects, with its message already written for the user. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure'
  readonly exitCode: number
  constructor(message: string, options: { cause?: unknown; exitCode?: number } = {}) {
    super(message, { cause: options.cause })
    this.exitCode = options.exitCode ?? EXIT.failure
  }
}

export interface FailureReport {
  readonly message: string
  readonly exitCode: number
  /** True for an error nobody anticipated: worth a bug report. */
  readonly unexpected: boolean
}

const RESUME =
  'Finished shots and submitted predictions are recorded in the run directory; run the same command again to resume without paying twice.'

export function describeFailure(error: unknown): FailureReport {
  if (error instanceof CliFailure)
    return { message: escapeControl(error.message), exitCode: error.exitCode, unexpected: false }
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown
    message?: unknown
    path?: unknown
    syscall?: unknown
  }
  const code = typeof e.code === 'string' ? e.code : undefined
  // Messages carry paths, ids and the API's words: shown escaped (see escapeControl).
  const message = escapeControl(typeof e.message === 'string' ? e.message : String(error))
  if (code === 'SCHED_ABORTED')
    return { message: `Interrupted. ${RESUME}`, exitCode: EXIT.interrupted, unexpected: false }
  if (isSchedulerError(error, 'SCHED_UNWRITABLE'))
    return { message: unwritableMessage(error), exitCode: EXIT.failure, unexpected: false }
  const system = code ? systemMessage(code, typeof e.path === 'string' ? e.path : undefined) : undefined
  if (system) return { message: system, exitCode: EXIT.failure, unexpected: false }
  const cause = (error as { cause?: unknown } | undefined)?.cause
  if (code && /^(CORE|WS|SCHED|FFMPEG|ASM|ANIMATIC|FARM)_/.test(code)) {
    // A wrapped disk or permission error is better explained by its cause.
    const inner =
      cause && typeof (cause as { code?: unknown }).code === 'string'
        ? systemMessage((cause as { code: string }).code, (cause as { path?: string }).path)
        : undefined
    return { message: inner ?? message, exitCode: EXIT.failure, unexpected: false }
  }
  return {
    message: `Unexpected error: ${message}\nThis is a bug in storyreel; please report it with the command you ran (set STORYREEL_DEBUG=1 for details).`,
    exitCode: EXIT.failure,
    unexpected: true,
  }
}

const WHY_UNWRITABLE: Readonly<Record<string, string>> = {
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a file is in the way',
  EEXIST: 'a file is in the way',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk is full',
  ENOENT: 'no directory can be created there',
  TIMEOUT: 'the file system did not answer in time',
}

/** The run directory or the clip cache cannot be written, found before anything was paid. */
function unwritableMessage(error: SchedulerErrorOf<'SCHED_UNWRITABLE'>): string {
  const why = WHY_UNWRITABLE[error.reason] ?? `${error.reason}`
  return error.role === 'run'
    ? `Cannot write the run directory ${error.path}: ${why}. Nothing was submitted. Choose a writable directory with --out.`
    : `Cannot write the clip cache ${error.path}: ${why}. Nothing was submitted. Point STORYREEL_CACHE_DIR at a writable directory.`
}

const SYSTEM_TEXT: readonly (readonly [RegExp, string])[] = [
  [/ENOSPC|No space left on device/i, 'ENOSPC'],
  [/EDQUOT|Disk quota exceeded/i, 'EDQUOT'],
  [/EACCES|Permission denied/i, 'EACCES'],
  [/EROFS|Read-only file system/i, 'EROFS'],
]

/**
 * When shots failed because of the machine rather than the shot (a full disk,
 * a permission), the one message that says so; the per-shot lines stay as detail.
 */
export function machineCauseOf(
  failures: readonly { readonly code?: string; readonly message: string }[],
): string | undefined {
  for (const failure of failures) {
    const code =
      failure.code && systemMessage(failure.code, undefined)
        ? failure.code
        : SYSTEM_TEXT.find(([pattern]) => pattern.test(failure.message))?.[1]
    if (code) return systemMessage(code, undefined)
  }
  return undefined
}

function systemMessage(code: string, path: string | undefined): string | undefined {
  const where = path ? ` ${escapeControl(path)}` : ''
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `The disk is full: could not write${where}. Free some space (or choose another directory with --out) and run the same command again. ${RESUME}`
    case 'EACCES':
    case 'EPERM':
      return `Cannot write${where}: permission denied. Choose a writable directory with --out, or fix its permissions.`
    case 'EROFS':
      return `Cannot write${where}: the file system is read-only. Choose a writable directory with --out.`
    case 'ENOTDIR':
    case 'EEXIST':
      return `Cannot create the output directory${where}: a file is in the way. Choose another directory with --out.`
    case 'EMFILE':
    case 'ENFILE':
      return `Too many open files. Lower --concurrency or raise the limit (ulimit -n), then run the same command again. ${RESUME}`
    default:
      return undefined
  }
}

/**
 * Runs a command body and turns anything it throws into one message on stderr
 * and an exit code. Usage errors go on to `main`, which prints the help hint.
 */
export async function withFailureMessages(
  io: {
    readonly stderr: { write(text: string): unknown }
    readonly env: Readonly<Record<string, string | undefined>>
  },
  body: () => Promise<number>,
): Promise<number> {
  try {
    return await body()
  } catch (error) {
    if (error instanceof UsageError) throw error
    const report = describeFailure(error)
    io.stderr.write(`storyreel: ${report.message}\n`)
    if (report.unexpected && io.env.STORYREEL_DEBUG) io.stderr.write(`${(error as Error).stack ?? ''}\n`)
    return report.exitCode
  }
}
