import { rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { OutputSpec } from '@storyreel/core'
import { type Canvas, resolveCanvas } from './canvas.ts'
import { runFfmpeg } from './ffmpeg.ts'
import { concatListLine } from './internal/escape.ts'
import { readMp4Fingerprint } from './internal/mp4-fingerprint.ts'
import { tempSibling } from './internal/temp-file.ts'
import { probeMedia, type VideoStreamInfo } from './probe.ts'

/** The facts that decide whether a clip can be stream-copied into a reel on `canvas`. */
type CopyFacts = Pick<VideoStreamInfo, 'codec' | 'width' | 'height' | 'rotation' | 'sar' | 'pixFmt' | 'fps'>

/**
 * True when a clip already is what normalizing would make of it: H.264/HEVC at the
 * canvas's size and rate, square pixels, yuv420p, unrotated.
 */
export function matchesCanvas(v: CopyFacts | undefined, canvas: Canvas): boolean {
  return (
    v !== undefined &&
    ['h264', 'hevc'].includes(v.codec) &&
    v.width === canvas.width &&
    v.height === canvas.height &&
    v.rotation === 0 &&
    v.sar === '1:1' &&
    v.pixFmt === 'yuv420p' &&
    Math.abs(v.fps - canvas.fps) < 1e-6
  )
}

/** True when a clip's MP4 header shows it already matches `canvas` (no process is started). */
export async function copyableAsIs(file: string, canvas: Canvas): Promise<boolean> {
  const video = (await readMp4Fingerprint(file))?.video
  return video !== undefined && matchesCanvas(video, canvas)
}

export interface StreamCopyResult {
  readonly canvas: Canvas
  /** Frames of each clip. */
  readonly frames: readonly number[]
}

/**
 * Joins `files` into `out` with the concat demuxer and stream copy when that is
 * safe, else returns undefined having written nothing. Safe means every file's
 * MP4 sample descriptions, timescales, frame durations and orientation equal the
 * first's (read from the headers in JS, no process per clip), and the first
 * matches the canvas: judged from its H.264 SPS when it has one, else by ffprobe,
 * run while the copy already proceeds (the copy is thrown away if the answer is no).
 */
export async function tryStreamCopy(
  files: readonly string[],
  output: Pick<OutputSpec, 'width' | 'height' | 'fps'>,
  out: string,
  workDir: string,
  options: { signal?: AbortSignal | undefined; onProgress?: ((fraction: number) => void) | undefined },
): Promise<StreamCopyResult | undefined> {
  const fingerprints = await Promise.all(files.map(readMp4Fingerprint))
  const key = fingerprints[0]?.key
  if (key === undefined || !fingerprints.every((f) => f?.key === key)) return undefined

  const seconds = fingerprints.reduce((sum, f) => sum + f!.videoSeconds, 0)
  const list = await writeConcatList(files, workDir)
  const copying = new AbortController()
  const stop = (): void => copying.abort(options.signal?.reason)
  options.signal?.addEventListener('abort', stop, { once: true })
  const temp = tempSibling(out)
  try {
    const copy = runFfmpeg(
      [
        '-y',
        '-f',
        'concat',
        '-safe',
        '0',
        '-i',
        list,
        '-map',
        '0:v:0',
        '-map',
        '0:a:0?',
        '-c',
        'copy',
        ...CONTAINER,
        temp,
      ],
      {
        signal: copying.signal,
        onProgress: options.onProgress && ((s) => options.onProgress?.(Math.min(1, s / seconds))),
      },
    )
    const first =
      fingerprints[0]!.video ??
      (await probeMedia(files[0]!, { signal: options.signal }).then(
        (info) => info.video,
        async (error: unknown) => {
          copying.abort()
          await copy.catch(() => undefined)
          throw error
        },
      ))
    const canvas = first ? resolveCanvas(output, first) : undefined
    if (!canvas || !matchesCanvas(first, canvas)) {
      copying.abort()
      await copy.catch(() => undefined)
      return undefined
    }
    await copy
    await rename(temp, out)
    return { canvas, frames: fingerprints.map((f) => f!.videoFrames) }
  } finally {
    options.signal?.removeEventListener('abort', stop)
    await rm(temp, { force: true })
    await rm(list, { force: true })
  }
}

/** Faststart puts the index first so players can start before the whole file arrives. */
export const CONTAINER = ['-movflags', '+faststart', '-f', 'mp4']

export async function writeConcatList(files: readonly string[], workDir: string): Promise<string> {
  const list = join(
    workDir,
    `concat-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.txt`,
  )
  await writeFile(list, `ffconcat version 1.0\n${files.map(concatListLine).join('\n')}\n`)
  return list
}
