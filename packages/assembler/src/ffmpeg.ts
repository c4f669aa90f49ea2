import { type FfmpegPriority, runFfmpegJob, runTool, type ToolOutput } from './internal/runner.ts'
import { findFfmpeg } from './locate.ts'

export type { FfmpegPriority }

export interface RunFfmpegOptions {
  readonly signal?: AbortSignal | undefined
  /** Called with the output position in seconds as ffmpeg reports progress (`-progress pipe:2`). */
  readonly onProgress?: ((outputSeconds: number) => void) | undefined
  /** Below normal CPU priority: for work that should take only the cores nothing else wants. */
  readonly priority?: FfmpegPriority | undefined
}

/**
 * Runs the located ffmpeg with `args` (an array: no shell is involved).
 * Adds `-hide_banner -nostdin` and, unless `args` set a log level, `-loglevel error`.
 * Rejects with an AssemblerError `FFMPEG_EXIT` carrying the last stderr lines,
 * or with `signal.reason` when aborted (the process is killed).
 *
 * @example
 * await runFfmpeg(['-y', '-f', 'lavfi', '-i', 'testsrc=d=1', 'out.mp4'], { signal })
 */
export async function runFfmpeg(args: readonly string[], options: RunFfmpegOptions = {}): Promise<void> {
  await execFfmpeg(args, options)
}

/** runFfmpeg that also returns the tail of stderr, for filters that report there (loudnorm). */
export async function execFfmpeg(
  args: readonly string[],
  options: RunFfmpegOptions = {},
): Promise<ToolOutput> {
  const ffmpeg = findFfmpeg().ffmpeg.path
  const setsLogLevel = args.includes('-loglevel') || args.includes('-v')
  const { onProgress } = options
  const fullArgs = [
    '-hide_banner',
    '-nostdin',
    ...(setsLogLevel ? [] : ['-loglevel', 'error']),
    ...(onProgress ? ['-progress', 'pipe:2', '-nostats'] : []),
    ...args,
  ]
  return runFfmpegJob(ffmpeg, fullArgs, {
    signal: options.signal,
    priority: options.priority,
    isReportLine: onProgress ? (line) => PROGRESS_LINE.test(line) : undefined,
    // out_time_us in current ffmpeg; builds before 4.4 call the same microseconds out_time_ms.
    onStderrLine: onProgress
      ? (line) => {
          const match = /^out_time_(?:us|ms)=(\d+)$/.exec(line)
          if (match) onProgress(Number(match[1]) / 1e6)
        }
      : undefined,
  })
}

/** The key=value lines of `-progress` reports. */
const PROGRESS_LINE = /^[a-z_0-9]+=\S*$/

/** Runs the located ffprobe and returns its stdout. */
export async function runFfprobe(args: readonly string[], signal?: AbortSignal): Promise<string> {
  const { stdout } = await runTool(findFfmpeg().ffprobe.path, ['-hide_banner', '-v', 'error', ...args], {
    signal,
    captureStdout: true,
  })
  return stdout
}
