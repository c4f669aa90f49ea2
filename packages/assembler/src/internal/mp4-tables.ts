/** A track's samples as an MP4/MOV file's `moov` describes them: where each is, how big, which are sync samples. */
import { open } from 'node:fs/promises'
import { children, collect, findTopLevelBox } from './mp4-boxes.ts'

export interface TrackSamples {
  readonly handler: 'vide' | 'soun'
  readonly timescale: number
  /** The `stsd` box's payload (version, flags, entry count, sample entries), copied as it is. */
  readonly stsd: Buffer
  /** Each sample's byte offset in the file and size. */
  readonly offsets: readonly number[]
  readonly sizes: readonly number[]
  /** Each sample's duration in `timescale` units. */
  readonly durations: readonly number[]
  /** Sync samples (0-based); undefined when every sample is one. */
  readonly sync?: ReadonlySet<number> | undefined
  /** Where the edit list starts playing, in media units (an AAC encoder's priming samples); 0 without one. */
  readonly mediaStart: number
  readonly width: number
  readonly height: number
}

/** The first track of `handler` in `file`, or undefined when it has none this reader understands. */
export async function readTrackSamples(
  file: string,
  handler: 'vide' | 'soun',
): Promise<TrackSamples | undefined> {
  const handle = await open(file, 'r')
  try {
    const moov = await findTopLevelBox(handle, 'moov')
    if (!moov) return undefined
    for (const trak of children(moov, 0, moov.length).filter((b) => b.type === 'trak')) {
      const boxes = new Map<string, Buffer>()
      collect(moov, trak.start, trak.end, boxes)
      const edts = children(moov, trak.start, trak.end).find((b) => b.type === 'edts')
      const [mdhd, hdlr, stsd, stts, stsc, stsz] = ['mdhd', 'hdlr', 'stsd', 'stts', 'stsc', 'stsz'].map((t) =>
        boxes.get(t),
      )
      const chunks = boxes.get('stco') ?? boxes.get('co64')
      if (!mdhd || !hdlr || !stsd || !stts || !stsc || !stsz || !chunks) continue
      if (hdlr.toString('latin1', 8, 12) !== handler) continue
      const sizes = readSizes(stsz)
      const stss = boxes.get('stss')
      return {
        handler,
        timescale: mdhd[0] === 1 ? mdhd.readUInt32BE(20) : mdhd.readUInt32BE(12),
        stsd,
        offsets: readOffsets(stsc, chunks, boxes.has('co64'), sizes),
        sizes,
        durations: readDurations(stts),
        ...(stss && { sync: new Set(readU32s(stss).map((n) => n - 1)) }),
        mediaStart: edts ? readMediaStart(moov.subarray(edts.start, edts.end)) : 0,
        width: trackSize(boxes.get('tkhd'), 0),
        height: trackSize(boxes.get('tkhd'), 1),
      }
    }
    return undefined
  } catch {
    return undefined // not an ISO-BMFF file this reader understands
  } finally {
    await handle.close()
  }
}

/** A full box's entry count, then that many 32-bit values. */
function readU32s(box: Buffer): number[] {
  return Array.from({ length: box.readUInt32BE(4) }, (_, i) => box.readUInt32BE(8 + i * 4))
}

function readSizes(stsz: Buffer): number[] {
  const fixed = stsz.readUInt32BE(4)
  const count = stsz.readUInt32BE(8)
  return Array.from({ length: count }, (_, i) => fixed || stsz.readUInt32BE(12 + i * 4))
}

function readDurations(stts: Buffer): number[] {
  const durations: number[] = []
  for (let i = 0; i < stts.readUInt32BE(4); i++)
    for (let n = stts.readUInt32BE(8 + i * 8); n > 0; n--) durations.push(stts.readUInt32BE(12 + i * 8))
  return durations
}

/** Each sample's offset: chunks from `stco`/`co64`, samples per chunk from `stsc`, sizes laid end to end within a chunk. */
function readOffsets(stsc: Buffer, chunkBox: Buffer, wide: boolean, sizes: readonly number[]): number[] {
  const chunkCount = chunkBox.readUInt32BE(4)
  const chunkOffset = (i: number): number =>
    wide ? Number(chunkBox.readBigUInt64BE(8 + i * 8)) : chunkBox.readUInt32BE(8 + i * 4)
  const runs = Array.from({ length: stsc.readUInt32BE(4) }, (_, i) => ({
    firstChunk: stsc.readUInt32BE(8 + i * 12) - 1,
    perChunk: stsc.readUInt32BE(12 + i * 12),
  }))
  const offsets: number[] = []
  let run = 0
  for (let chunk = 0; chunk < chunkCount && offsets.length < sizes.length; chunk++) {
    while (run + 1 < runs.length && runs[run + 1]!.firstChunk <= chunk) run++
    let at = chunkOffset(chunk)
    for (let k = 0; k < (runs[run]?.perChunk ?? 0) && offsets.length < sizes.length; k++) {
      offsets.push(at)
      at += sizes[offsets.length - 1]!
    }
  }
  if (offsets.length !== sizes.length) throw new Error('sample tables disagree')
  return offsets
}

/** The first edit's media time (an empty edit, media time -1, is skipped). */
function readMediaStart(edts: Buffer): number {
  const elst = children(edts, 0, edts.length).find((b) => b.type === 'elst')
  if (!elst) return 0
  const box = edts.subarray(elst.start, elst.end)
  const wide = box[0] === 1
  const entry = wide ? 20 : 12
  for (let i = 0; i < box.readUInt32BE(4); i++) {
    const at = 8 + i * entry
    const time = wide ? Number(box.readBigInt64BE(at + 8)) : box.readInt32BE(at + 4)
    if (time >= 0) return time
  }
  return 0
}

/** `tkhd`'s width (0) or height (1), 16.16 fixed point. */
function trackSize(tkhd: Buffer | undefined, which: 0 | 1): number {
  if (!tkhd) return 0
  const at = (tkhd[0] === 1 ? 88 : 76) + which * 4
  return Math.round(tkhd.readUInt32BE(at) / 65536)
}
