import { stat } from 'node:fs/promises'
import { AssemblerError } from './errors.ts'
import { runFfprobe } from './ffmpeg.ts'
import { findFfmpeg } from './locate.ts'

export interface VideoStreamInfo {
  readonly index: number
  readonly codec: string
  readonly profile?: string
  /** Coded size, before any rotation. */
  readonly width: number
  readonly height: number
  /** Size as played: width and height swapped when the stream is rotated by ±90°. */
  readonly displayWidth: number
  readonly displayHeight: number
  /** Degrees from the display matrix or the `rotate` tag; 0 when none. */
  readonly rotation: number
  /** Sample aspect ratio, e.g. `1:1`. */
  readonly sar: string
  readonly pixFmt: string
  /** Frame rate as ffmpeg writes it (`24/1`, `30000/1001`). */
  readonly frameRate: string
  readonly fps: number
  readonly timeBase: string
  /** Seconds, from the stream itself (not the container: audio may outlast the video). */
  readonly duration?: number
  /** Frame count from the container header, when it stores one (MP4/MOV do). */
  readonly frames?: number
  readonly colorSpace?: string
  /** Hash of the codec's extradata (SPS/PPS for H.264); equal hashes can be stream-copied together. */
  readonly extradataHash?: string
}

export interface AudioStreamInfo {
  readonly index: number
  readonly codec: string
  readonly sampleRate: number
  readonly channels: number
  readonly duration?: number
  readonly extradataHash?: string
}

export interface MediaInfo {
  readonly file: string
  readonly size: number
  /** Container duration in seconds (the longest stream). */
  readonly duration: number
  readonly video?: VideoStreamInfo
  readonly audio?: AudioStreamInfo
  readonly hasAudio: boolean
}

interface RawStream {
  index: number
  codec_type?: string
  codec_name?: string
  profile?: string
  width?: number
  height?: number
  sample_aspect_ratio?: string
  pix_fmt?: string
  r_frame_rate?: string
  avg_frame_rate?: string
  time_base?: string
  duration?: string
  nb_frames?: string
  color_space?: string
  extradata_hash?: string
  sample_rate?: string
  channels?: number
  tags?: Record<string, string>
  side_data_list?: { rotation?: number }[]
  disposition?: { attached_pic?: number }
}

/**
 * Reads a media file's streams with ffprobe: the first video stream (cover art
 * excluded) and the first audio stream. A file already probed in this process
 * (the same inode, size and modification time) is not probed again: verifying a
 * clip, handing its last frame on and normalizing it for the reel all ask, often
 * under another name (a hard link), and each ffprobe costs about 0.15 s.
 *
 * @example
 * const info = await probeMedia('clip.mp4')
 * info.video?.fps // 24
 */
export async function probeMedia(file: string, options: { signal?: AbortSignal } = {}): Promise<MediaInfo> {
  const facts = await stat(file, { bigint: true }).catch((cause: unknown) => {
    throw new AssemblerError('ASM_BAD_INPUT', `Cannot read ${file}: it does not exist or is not readable.`, {
      cause,
      file,
    })
  })
  const key = [findFfmpeg().ffprobe.path, facts.dev, facts.ino, facts.size, facts.mtimeNs].join(':')
  const known = probed.get(key)
  if (known) return { ...known, file }
  const info = await runProbe(file, Number(facts.size), options.signal)
  probed.set(key, info)
  if (probed.size > PROBES_KEPT) probed.delete(probed.keys().next().value!)
  return info
}

/** Probes remembered, oldest first: a render's clips and their mezzanines, with room to spare. */
const probed = new Map<string, MediaInfo>()
const PROBES_KEPT = 512

async function runProbe(file: string, size: number, signal: AbortSignal | undefined): Promise<MediaInfo> {
  const out = await runFfprobe(
    ['-show_data_hash', 'sha256', '-show_streams', '-show_format', '-of', 'json', file],
    signal,
  )
  let parsed: { streams?: RawStream[]; format?: { duration?: string } }
  try {
    parsed = JSON.parse(out) as typeof parsed
  } catch (cause) {
    throw new AssemblerError('FFMPEG_PROBE', `ffprobe returned unreadable output for ${file}.`, {
      cause,
      file,
    })
  }
  const streams = parsed.streams ?? []
  const v = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1)
  const a = streams.find((s) => s.codec_type === 'audio')
  const video = v ? toVideo(v) : undefined
  const audio = a ? toAudio(a) : undefined
  const duration = num(parsed.format?.duration) ?? Math.max(video?.duration ?? 0, audio?.duration ?? 0)
  return {
    file,
    size,
    duration,
    ...(video && { video }),
    ...(audio && { audio }),
    hasAudio: audio !== undefined,
  }
}

function toVideo(s: RawStream): VideoStreamInfo {
  const rawRotation =
    s.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? num(s.tags?.rotate) ?? 0
  const rotation = ((Math.round(rawRotation) % 360) + 360) % 360
  const width = s.width ?? 0
  const height = s.height ?? 0
  const quarterTurn = rotation === 90 || rotation === 270
  const frameRate = usableRate(s.avg_frame_rate) ?? usableRate(s.r_frame_rate) ?? '25/1'
  const duration = num(s.duration)
  const frames = num(s.nb_frames)
  return {
    index: s.index,
    codec: s.codec_name ?? 'unknown',
    ...(s.profile !== undefined && { profile: s.profile }),
    width,
    height,
    displayWidth: quarterTurn ? height : width,
    displayHeight: quarterTurn ? width : height,
    rotation,
    sar: s.sample_aspect_ratio && s.sample_aspect_ratio !== '0:1' ? s.sample_aspect_ratio : '1:1',
    pixFmt: s.pix_fmt ?? 'unknown',
    frameRate,
    fps: rateToNumber(frameRate),
    timeBase: s.time_base ?? '',
    ...(duration !== undefined && { duration }),
    ...(frames !== undefined && frames > 0 && { frames }),
    ...(s.color_space !== undefined && { colorSpace: s.color_space }),
    ...(s.extradata_hash !== undefined && { extradataHash: s.extradata_hash }),
  }
}

function toAudio(s: RawStream): AudioStreamInfo {
  const duration = num(s.duration)
  return {
    index: s.index,
    codec: s.codec_name ?? 'unknown',
    sampleRate: num(s.sample_rate) ?? 0,
    channels: s.channels ?? 0,
    ...(duration !== undefined && { duration }),
    ...(s.extradata_hash !== undefined && { extradataHash: s.extradata_hash }),
  }
}

function num(value: string | number | undefined): number | undefined {
  if (value === undefined || value === 'N/A') return undefined
  const n = Number(value)
  return Number.isFinite(n) ? n : undefined
}

function usableRate(rate: string | undefined): string | undefined {
  if (!rate) return undefined
  const n = rateToNumber(rate)
  return Number.isFinite(n) && n > 0 && n < 1000 ? rate : undefined
}

/** `30000/1001` → 29.97… */
export function rateToNumber(rate: string): number {
  const [n, d = '1'] = rate.split('/')
  return Number(n) / Number(d)
}

/**
 * Counts a file's video packets (one per frame for the codecs we meet) by demuxing
 * it without decoding: exact where the header's `nb_frames` may be missing.
 */
export async function countFrames(file: string, options: { signal?: AbortSignal } = {}): Promise<number> {
  const out = await runFfprobe(
    [
      '-select_streams',
      'v:0',
      '-count_packets',
      '-show_entries',
      'stream=nb_read_packets',
      '-of',
      'csv=p=0',
      file,
    ],
    options.signal,
  )
  const frames = Number.parseInt(out.trim(), 10)
  if (!Number.isFinite(frames))
    throw new AssemblerError('FFMPEG_PROBE', `${file} has no video stream to count frames in.`, { file })
  return frames
}
