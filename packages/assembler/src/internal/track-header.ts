/**
 * What a smart join needs to know of a mezzanine, read from its `moov` box in JS
 * (a process start costs more than the whole read): frames, where its keyframes
 * are, whether frames are reordered, its H.264 parameter sets, whether it has audio.
 */
import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'
import { children, collect, findTopLevelBox, readStts } from './mp4-boxes.ts'

export interface TrackHeader {
  /** Video frames (samples of the first video track). */
  readonly frames: number
  /** Indices of the frames a decoder can start at (sync samples), ascending. */
  readonly keyframes: readonly number[]
  /** True when every frame lasts the same (the last may differ) and none is shown out of decoding order. */
  readonly constantOrder: boolean
  readonly timescale: number
  /** Most frames' duration in `timescale` units. */
  readonly frameDelta: number
  /** The sample entry's type (`avc1`) and a hash of its `avcC` (profile, level, SPS, PPS): equal means stream-copyable together. */
  readonly codec: string
  readonly parameterSets?: string
  readonly width: number
  readonly height: number
  /** Whether the file has an audio track too. */
  readonly hasAudio: boolean
}

/** The header of an MP4/MOV file, or undefined when it has no video track this reader understands. */
export async function readTrackHeader(file: string): Promise<TrackHeader | undefined> {
  const handle = await open(file, 'r')
  try {
    const moov = await findTopLevelBox(handle, 'moov')
    if (!moov) return undefined
    let video: Omit<TrackHeader, 'hasAudio'> | undefined
    let hasAudio = false
    for (const trak of children(moov, 0, moov.length).filter((b) => b.type === 'trak')) {
      const boxes = new Map<string, Buffer>()
      collect(moov, trak.start, trak.end, boxes)
      const [mdhd, hdlr, stsd, stts] = ['mdhd', 'hdlr', 'stsd', 'stts'].map((t) => boxes.get(t))
      if (!mdhd || !hdlr || !stsd || !stts) continue
      const handler = hdlr.toString('latin1', 8, 12)
      const timescale = mdhd[0] === 1 ? mdhd.readUInt32BE(20) : mdhd.readUInt32BE(12)
      const entryType = stsd.toString('latin1', 12, 16)
      const timing = readStts(stts)
      hasAudio ||= handler === 'soun'
      if (handler !== 'vide' || video) continue
      const stss = boxes.get('stss')
      const avcC = children(stsd, 8 + 86, 8 + stsd.readUInt32BE(8)).find((b) => b.type === 'avcC')
      video = {
        frames: timing.samples,
        keyframes: stss ? readSyncSamples(stss) : Array.from({ length: timing.samples }, (_, i) => i),
        constantOrder: !boxes.has('ctts') && uniformDurations(stts),
        timescale,
        frameDelta: timing.delta,
        codec: entryType,
        ...(avcC && {
          parameterSets: createHash('sha256').update(stsd.subarray(avcC.start, avcC.end)).digest('hex'),
        }),
        width: stsd.readUInt16BE(8 + 32),
        height: stsd.readUInt16BE(8 + 34),
      }
    }
    return video && { ...video, hasAudio }
  } catch {
    return undefined // not an ISO-BMFF file we can read
  } finally {
    await handle.close()
  }
}

/** `stss` lists 1-based sample numbers. */
function readSyncSamples(stss: Buffer): number[] {
  const count = stss.readUInt32BE(4)
  return Array.from({ length: count }, (_, i) => stss.readUInt32BE(8 + i * 4) - 1)
}

/** All entries but a trailing single sample have the same duration. */
function uniformDurations(stts: Buffer): boolean {
  const entries = stts.readUInt32BE(4)
  const durations = Array.from({ length: entries }, (_, i) => ({
    count: stts.readUInt32BE(8 + i * 8),
    delta: stts.readUInt32BE(12 + i * 8),
  }))
  const body = durations.at(-1)?.count === 1 && durations.length > 1 ? durations.slice(0, -1) : durations
  return new Set(body.map((d) => d.delta)).size <= 1
}
