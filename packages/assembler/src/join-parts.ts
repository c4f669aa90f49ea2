import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Canvas } from './canvas.ts'
import { CONTAINER } from './fast-path.ts'
import { runFfmpeg } from './ffmpeg.ts'
import { concatListLine } from './internal/escape.ts'
import { joinMp4 } from './internal/mp4-join.ts'
import type { PlannedJoin } from './join-plan.ts'
import { AUDIO_OUT, reelAudio, type SegmentAudio, type Soundtrack } from './reel-audio.ts'
import { silentTrack } from './silence.ts'

/** One entry of the concat list: a whole re-encoded piece, or frames `[from, to)` of a mezzanine copied as they are. */
export type JoinPart =
  | { readonly file: string; readonly frames: number }
  | { readonly file: string; readonly from: number; readonly to: number }

export interface JoinPartsOptions {
  readonly parts: readonly JoinPart[]
  readonly audio: readonly SegmentAudio[]
  readonly joins: readonly PlannedJoin[]
  readonly canvas: Canvas
  readonly soundtrack?: Soundtrack | undefined
  /** The reel's audio already encoded (see encodeReelAudio), when some clip has audio: the join copies it. */
  readonly mixedAudio?: string | undefined
  readonly workDir: string
  readonly out: string
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((outputSeconds: number) => void) | undefined
}

/**
 * Writes the reel from pieces and mezzanine bodies. When the audio is already an
 * AAC track (the reel's, encoded beside the pieces; or, every clip silent, the
 * soundtrack's finished track or a cached silent one), the reel is written in JS
 * (see joinMp4: no process to start, the index first without a second pass).
 * Otherwise one concat-demuxer list with the video stream-copied, and the audio
 * built in the same command from the mezzanines' WAVs (see reelAudio) and encoded
 * to AAC once.
 */
export async function joinParts(options: JoinPartsOptions): Promise<void> {
  const { canvas, signal } = options
  const list = join(
    options.workDir,
    `concat-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.ffconcat`,
  )
  const frames = options.parts.reduce((sum, p) => sum + ('frames' in p ? p.frames : p.to - p.from), 0)
  // Every clip silent: the soundtrack's finished track, or a cached silent one, copied and cut where the video
  // ends (the last audio packet may run on by less than 1024 samples).
  const clipsSilent = options.audio.every((a) => !a.file)
  const copied = !clipsSilent
    ? options.mixedAudio
    : options.soundtrack
      ? options.soundtrack.encoded
      : await silentTrack(options.workDir, frames / canvas.fps, signal)
  if (copied) {
    const video = options.parts.map((p) => ('frames' in p ? { file: p.file, from: 0, to: p.frames } : p))
    const joined = await joinMp4({
      video,
      audio: copied,
      out: options.out,
      signal,
      onProgress: options.onProgress,
    })
    if (joined) return
  }
  const audio = copied
    ? ['-i', copied, '-map', '0:v:0', '-map', '1:a:0', '-c', 'copy', '-t', (frames / canvas.fps).toFixed(6)]
    : (() => {
        const mixed = reelAudio(options.audio, options.joins, canvas, 1, options.soundtrack)
        return [
          ...mixed.inputs,
          '-filter_complex',
          mixed.graph,
          '-map',
          '0:v:0',
          '-map',
          `[${mixed.label}]`,
          '-c:v',
          'copy',
          ...AUDIO_OUT,
        ]
      })()
  await writeFile(list, concatList(options.parts, canvas.fps))
  try {
    await runFfmpeg(['-y', '-f', 'concat', '-safe', '0', '-i', list, ...audio, ...CONTAINER, options.out], {
      signal,
      onProgress: options.onProgress,
    })
  } finally {
    await rm(list, { force: true })
  }
}

/**
 * The concat list. Every entry's `duration` is set so that entry k starts exactly at
 * its first frame's time in the reel (durations are differences of whole-frame
 * times rounded to microseconds, so rounding never accumulates). A copied body
 * enters at its keyframe (`inpoint`, rounded up so the seek cannot land on the
 * keyframe before) and stops before frame `to` (`outpoint` half a frame earlier:
 * no frame is reordered, so the frames before it decode without it).
 */
export function concatList(parts: readonly JoinPart[], fps: number): string {
  const micros = (frames: number): number => Math.round((frames * 1e6) / fps)
  const seconds = (us: number): string => (us / 1e6).toFixed(6)
  const lines = ['ffconcat version 1.0']
  let position = 0
  for (const part of parts) {
    const frames = 'frames' in part ? part.frames : part.to - part.from
    lines.push(concatListLine(part.file))
    if (!('frames' in part)) {
      if (part.from > 0) lines.push(`inpoint ${seconds(Math.ceil((part.from * 1e6) / fps))}`)
      lines.push(`outpoint ${seconds(Math.round(((part.to - 0.5) * 1e6) / fps))}`)
    }
    lines.push(`duration ${seconds(micros(position + frames) - micros(position))}`)
    position += frames
  }
  return `${lines.join('\n')}\n`
}
