import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rename, stat, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { WaveSpeedError } from './errors.ts'
import { jitteredDelay, sleep } from './internal/backoff.ts'
import type { ClientContext } from './internal/context.ts'
import { assertFetchable, requestOutput } from './internal/output-request.ts'
import { BodyLimitError, byteLimit, megabytes } from './internal/read-body.ts'
import { redactCause } from './internal/redact.ts'

export interface DownloadOptions {
  readonly signal?: AbortSignal
  /** Further attempts after a broken or short transfer. Default 4. */
  readonly retries?: number
  /** Largest file accepted. Default the client's `maxDownloadBytes` (500 MB). */
  readonly maxBytes?: number
  /** Longest the whole download may take, retries included. Default the client's `downloadTimeoutMs` (15 minutes). */
  readonly timeoutMs?: number
}

export interface DownloadReport {
  readonly bytes: number
  /** Transfers started, including resumes. */
  readonly attempts: number
}

/**
 * Streams an output file to `dest`, writing to a temporary file beside it and
 * renaming at the end, so `dest` is either absent or complete. A broken transfer
 * resumes with a Range request when the server accepts ranges (else starts over),
 * and the size is checked against Content-Length. The API key is never sent;
 * redirects are followed only to https. At most `maxBytes` are written and the
 * whole download ends within `timeoutMs`, so an endless or trickling body cannot
 * fill the disk or hang the run.
 *
 * @throws WaveSpeedError `WS_OUTPUT_EXPIRED` on 404/410, `WS_DOWNLOAD_TOO_LARGE`, `WS_UNSAFE_URL`,
 *   `WS_DOWNLOAD` after the retries or the time limit.
 */
export async function downloadOutput(
  ctx: ClientContext,
  url: string,
  dest: string,
  options: DownloadOptions = {},
): Promise<DownloadReport> {
  const { signal } = options
  const target = assertFetchable(url, ctx.transport.baseUrl)
  const where = `${target.host}${target.pathname}`
  const retries = options.retries ?? 4
  const maxBytes = options.maxBytes ?? ctx.limits.maxDownloadBytes
  const timeoutMs = options.timeoutMs ?? ctx.limits.downloadTimeoutMs
  const deadline = AbortSignal.timeout(timeoutMs)
  const stop = signal ? AbortSignal.any([signal, deadline]) : deadline
  const tmp = join(dirname(dest), `.${basename(dest)}.${randomUUID().slice(0, 8)}.part`)
  const tooLarge = (bytes: number, announced: boolean) =>
    new WaveSpeedError(
      'WS_DOWNLOAD_TOO_LARGE',
      `The output ${where} is larger than the ${megabytes(maxBytes)} a clip may be (${announced ? 'it announced' : 'stopped after'} ${megabytes(bytes)}); nothing was kept. ` +
        'A Kling clip is far smaller, so the output host is misbehaving; if the clip really is that large, raise maxDownloadBytes.',
    )
  let have = 0
  let total: number | undefined
  let ranges = false
  let lastProblem = ''
  let lastCause: unknown
  try {
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(jitteredDelay(attempt - 1, ctx.retry), stop)
      const resume: boolean = ranges && have > 0
      let failure: unknown
      try {
        const res = await requestOutput(ctx, target, resume ? { range: `bytes=${have}-` } : {}, stop)
        const { statusCode: status, headers } = res
        if (status === 404 || status === 410) {
          await res.body.dump()
          throw new WaveSpeedError(
            'WS_OUTPUT_EXPIRED',
            `The output ${where} is gone (HTTP ${status}). WaveSpeed deletes outputs after 7 days; render the shot again.`,
            {
              httpStatus: status,
            },
          )
        }
        if (status !== 200 && status !== 206) {
          await res.body.dump()
          lastProblem = `HTTP ${status}`
          // Keep the partial file: the next attempt may still resume it.
          if (status === 429 || status >= 500) continue
          throw new WaveSpeedError(
            'WS_DOWNLOAD',
            `Downloading ${where} failed with HTTP ${status}; check the URL.`,
            { httpStatus: status },
          )
        }
        ranges = String(headers['accept-ranges']) === 'bytes'
        const appending = resume && status === 206 && contentRangeStart(headers['content-range']) === have
        if (!appending) have = 0
        total = appending
          ? (contentRangeTotal(headers['content-range']) ?? total)
          : numberHeader(headers['content-length'])
        if (total !== undefined && total > maxBytes) {
          res.body.destroy()
          throw tooLarge(total, true)
        }
        await pipeline(
          res.body,
          byteLimit(maxBytes, have),
          createWriteStream(tmp, { flags: appending ? 'a' : 'w' }),
          { signal: stop },
        )
      } catch (error) {
        if (stop.aborted) throw error
        if (error instanceof WaveSpeedError) throw error
        if (error instanceof BodyLimitError) throw tooLarge(error.bytes, false)
        lastProblem = error instanceof Error ? error.message : String(error)
        failure = error
        lastCause = error
      }
      have = await sizeOf(tmp)
      // Without a Content-Length, a transfer that ended cleanly is all there is.
      const complete = total === undefined ? failure === undefined : have === total
      if (complete) {
        await rename(tmp, dest)
        return { bytes: have, attempts: attempt + 1 }
      }
      if (total !== undefined && have > total) {
        lastProblem = `received ${have} bytes but Content-Length said ${total}`
        have = 0
      } else if (total !== undefined) {
        lastProblem = `received ${have} of ${total} bytes`
      }
    }
  } catch (error) {
    await unlink(tmp).catch(() => undefined)
    if (signal?.aborted) throw signal.reason
    if (deadline.aborted)
      throw new WaveSpeedError(
        'WS_DOWNLOAD',
        `Downloading ${where} did not finish within ${Math.round(timeoutMs / 1000)} s; nothing was kept. The render is paid for and kept 7 days: run again to retry the download (on a slow connection, raise downloadTimeoutMs).`,
        { retryable: true },
      )
    throw error
  }
  await unlink(tmp).catch(() => undefined)
  throw new WaveSpeedError(
    'WS_DOWNLOAD',
    `Downloading ${where} failed after ${retries + 1} attempts (${lastProblem}). The render is paid for and kept 7 days: run again to retry the download.`,
    {
      retryable: true,
      cause: redactCause(lastCause, ctx.transport.redact),
    },
  )
}

function numberHeader(value: string | string[] | undefined): number | undefined {
  const n = Number(Array.isArray(value) ? value[0] : value)
  return value === undefined || !Number.isFinite(n) ? undefined : n
}

function contentRangeStart(value: string | string[] | undefined): number | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(String(value ?? ''))
  return match ? Number(match[1]) : undefined
}

function contentRangeTotal(value: string | string[] | undefined): number | undefined {
  const match = /\/(\d+)$/.exec(String(value ?? ''))
  return match ? Number(match[1]) : undefined
}

async function sizeOf(path: string): Promise<number> {
  return stat(path).then(
    (s) => s.size,
    () => 0,
  )
}
