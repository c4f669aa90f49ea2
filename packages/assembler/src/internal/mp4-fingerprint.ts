import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'
import type { VideoStreamInfo } from '../probe.ts'
import { parseSps } from './h264-sps.ts'
import { children, collect, findTopLevelBox, readStts } from './mp4-boxes.ts'

/**
 * What decides whether MP4/MOV files can be stream-copied one after another,
 * read straight from their `moov` box in a few milliseconds (an ffprobe costs a
 * process start, which for 20 clips exceeded the whole concat).
 */
export interface Mp4Fingerprint {
  /** Equal keys mean the same codecs and parameter sets (stsd), timescales, frame durations and orientation per track. */
  readonly key: string
  /** Samples in the first video track: its frame count. */
  readonly videoFrames: number
  /** That track's length in seconds. */
  readonly videoSeconds: number
  /** That track described as ffprobe would, when it is H.264 whose SPS could be read. */
  readonly video?: HeaderVideoInfo
}

/** What the MP4 header tells of the video stream, in the probe's terms (`pixFmt` is `yuv420p`, `yuvj420p` or `other`). */
export type HeaderVideoInfo = Pick<
  VideoStreamInfo,
  'width' | 'height' | 'displayWidth' | 'displayHeight' | 'rotation' | 'sar' | 'pixFmt' | 'frameRate' | 'fps'
> & { readonly codec: 'h264' }

/** The fingerprint of an MP4/MOV file, or undefined when it is not one this reader understands. */
export async function readMp4Fingerprint(file: string): Promise<Mp4Fingerprint | undefined> {
  const handle = await open(file, 'r')
  try {
    const moov = await findTopLevelBox(handle, 'moov')
    if (!moov) return undefined
    const tracks: string[] = []
    let videoFrames: number | undefined
    let videoSeconds = 0
    let video: HeaderVideoInfo | undefined
    for (const trak of children(moov, 0, moov.length).filter((b) => b.type === 'trak')) {
      const boxes = new Map<string, Buffer>()
      collect(moov, trak.start, trak.end, boxes)
      const [tkhd, mdhd, hdlr, stsd, stts] = ['tkhd', 'mdhd', 'hdlr', 'stsd', 'stts'].map((t) => boxes.get(t))
      if (!tkhd || !mdhd || !hdlr || !stsd || !stts) return undefined
      const handler = hdlr.toString('latin1', 8, 12)
      const timescale = mdhd[0] === 1 ? mdhd.readUInt32BE(20) : mdhd.readUInt32BE(12)
      const matrix = tkhd.subarray(tkhd[0] === 1 ? 52 : 40, (tkhd[0] === 1 ? 52 : 40) + 36).toString('hex')
      const { samples, delta, total } = readStts(stts)
      if (handler === 'vide' && videoFrames === undefined) {
        ;[videoFrames, videoSeconds] = [samples, total / timescale]
        video = describeVideo(stsd, tkhd, timescale, delta)
      }
      tracks.push(
        [
          handler,
          timescale,
          delta,
          matrix,
          createHash('sha256').update(withoutBitrate(stsd)).digest('hex'),
        ].join(':'),
      )
    }
    if (videoFrames === undefined) return undefined
    return { key: tracks.join('|'), videoFrames, videoSeconds, ...(video && { video }) }
  } catch {
    return undefined // not an ISO-BMFF file we can read: callers fall back to ffprobe
  } finally {
    await handle.close()
  }
}

/** The sample description without its `btrt` boxes: per-file bitrates, irrelevant to whether streams can be joined. */
function withoutBitrate(stsd: Buffer): Buffer {
  const parts: Buffer[] = []
  let from = 0
  for (let at = stsd.indexOf('btrt', 0, 'latin1'); at >= 4; at = stsd.indexOf('btrt', from, 'latin1')) {
    const size = stsd.readUInt32BE(at - 4)
    parts.push(stsd.subarray(from, at - 4))
    from = at - 4 + (size === 20 ? 20 : 8)
  }
  parts.push(stsd.subarray(from))
  return Buffer.concat(parts)
}

/** Sample entry header (8) + reserved/data-reference (8) + VisualSampleEntry fields (70): where its child boxes start. */
const VISUAL_ENTRY_CHILDREN = 86

function describeVideo(
  stsd: Buffer,
  tkhd: Buffer,
  timescale: number,
  delta: number,
): HeaderVideoInfo | undefined {
  const entry = 8 // after version/flags and entry_count
  const entryEnd = entry + stsd.readUInt32BE(entry)
  if (!['avc1', 'avc3'].includes(stsd.toString('latin1', entry + 4, entry + 8)) || delta === 0)
    return undefined
  const width = stsd.readUInt16BE(entry + 32)
  const height = stsd.readUInt16BE(entry + 34)
  const boxes = children(stsd, entry + VISUAL_ENTRY_CHILDREN, entryEnd)
  const avcC = boxes.find((b) => b.type === 'avcC')
  if (!avcC || (stsd[avcC.start + 5]! & 0x1f) === 0) return undefined
  const spsLength = stsd.readUInt16BE(avcC.start + 6)
  const sps = parseSps(stsd.subarray(avcC.start + 8, avcC.start + 8 + spsLength))
  if (!sps) return undefined
  const pasp = boxes.find((b) => b.type === 'pasp')
  const sar = pasp ? `${stsd.readUInt32BE(pasp.start)}:${stsd.readUInt32BE(pasp.start + 4)}` : sps.sar
  const matrixAt = tkhd[0] === 1 ? 52 : 40
  const [a, b] = [tkhd.readInt32BE(matrixAt), tkhd.readInt32BE(matrixAt + 4)]
  const rotation = ((Math.round((Math.atan2(b, a) * 180) / Math.PI) % 360) + 360) % 360
  const quarterTurn = rotation === 90 || rotation === 270
  const pixFmt =
    sps.chromaFormat === 1 && sps.bitDepth === 8 ? (sps.fullRange ? 'yuvj420p' : 'yuv420p') : 'other'
  return {
    codec: 'h264',
    width,
    height,
    displayWidth: quarterTurn ? height : width,
    displayHeight: quarterTurn ? width : height,
    rotation,
    sar: sar === '0:0' || sar === '0:1' ? '1:1' : sar,
    pixFmt,
    frameRate: reducedRate(timescale, delta),
    fps: timescale / delta,
  }
}

/** `12288/512` → `24/1`, as ffprobe writes rates, so a canvas is the same whichever way it was read. */
function reducedRate(timescale: number, delta: number): string {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))
  const d = gcd(timescale, delta)
  return `${timescale / d}/${delta / d}`
}
