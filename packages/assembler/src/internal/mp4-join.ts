/**
 * Joins H.264 sample ranges of MP4/MOV files (same parameter sets, timescale and
 * frame duration, no reordering: checked by the caller) into one MP4, with an
 * audio track copied from another file under them, in JS: what `ffmpeg -f concat
 * -c copy -movflags +faststart` would write, without the process start (0.3 s
 * idle, seconds under load) and without faststart's second pass over the file,
 * since the index is built before the first sample is written.
 */
import { type FileHandle, open } from 'node:fs/promises'
import { readTrackSamples, type TrackSamples } from './mp4-tables.ts'

export interface Mp4Range {
  readonly file: string
  /** Video samples `[from, to)`; `from` is a sync sample. */
  readonly from: number
  readonly to: number
}

export interface Mp4JoinOptions {
  readonly video: readonly Mp4Range[]
  /** A file whose first audio track is copied under the video, cut to the video's length by an edit list. */
  readonly audio?: string | undefined
  readonly out: string
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((outputSeconds: number) => void) | undefined
}

interface Sample {
  readonly source: number
  readonly offset: number
  readonly size: number
}

interface Chunk {
  readonly track: 0 | 1
  /** Seconds into the reel where the chunk starts, to interleave the tracks. */
  readonly time: number
  readonly samples: readonly Sample[]
}

/**
 * Writes the join to `options.out`. Returns false, having written nothing, when a
 * file's sample tables cannot be read or disagree with the join (the caller then
 * lets ffmpeg do it).
 */
export async function joinMp4(options: Mp4JoinOptions): Promise<boolean> {
  const files = [...new Set(options.video.map((r) => r.file))]
  const tables = await Promise.all(files.map((f) => readTrackSamples(f, 'vide')))
  const audio = options.audio ? await readTrackSamples(options.audio, 'soun') : undefined
  const first = tables[0]
  if (!first || tables.some((t) => !t || t.timescale !== first.timescale)) return false
  if (options.audio && !audio) return false
  const delta = mostCommon(first.durations)
  const video: (Sample & { sync: boolean })[] = []
  for (const range of options.video) {
    const source = files.indexOf(range.file)
    const t = tables[source]!
    if (range.to > t.sizes.length || range.from >= range.to) return false
    for (let i = range.from; i < range.to; i++)
      video.push({ source, offset: t.offsets[i]!, size: t.sizes[i]!, sync: !t.sync || t.sync.has(i) })
  }
  const vts = first.timescale
  const videoDuration = video.length * delta
  if (videoDuration > 0xffffffff) return false

  // Audio: the packets that cover the edit (from the priming samples on, as long as the video).
  const audioSource = files.length
  const audioSamples: Sample[] = []
  const audioDurations: number[] = []
  let editDuration = 0
  if (audio) {
    const wanted = audio.mediaStart + Math.round((videoDuration / vts) * audio.timescale)
    let covered = 0
    for (let i = 0; i < audio.sizes.length && covered < wanted; i++) {
      audioSamples.push({ source: audioSource, offset: audio.offsets[i]!, size: audio.sizes[i]! })
      audioDurations.push(audio.durations[i]!)
      covered += audio.durations[i]!
    }
    editDuration = Math.min(videoDuration, Math.floor(((covered - audio.mediaStart) / audio.timescale) * vts))
  }

  const chunks = interleave(
    chunked(0, video, (i) => (i * delta) / vts, vts / delta),
    audio
      ? chunked(
          1,
          audioSamples,
          (i) => (sum(audioDurations, i) - audio.mediaStart) / audio.timescale,
          audio.timescale / mostCommon(audio.durations),
        )
      : [],
  )
  const payload = chunks.reduce((s, c) => s + c.samples.reduce((a, b) => a + b.size, 0), 0)
  const wide = payload > 0xffffffff - 1e6
  const build = (offsets: number[]): Buffer =>
    moovBox({
      vts,
      delta,
      first,
      video,
      audio,
      audioDurations,
      editDuration,
      chunks,
      offsets,
      wide,
    })
  const head = ftyp()
  const mdatHeader = payload + 8 > 0xffffffff ? 16 : 8
  const moovSize = build(chunks.map(() => 0)).length
  let at = head.length + moovSize + mdatHeader
  const offsets = chunks.map((c) => {
    const start = at
    at += c.samples.reduce((a, b) => a + b.size, 0)
    return start
  })
  const moov = build(offsets)

  const handles: FileHandle[] = []
  const out = await open(options.out, 'w')
  try {
    for (const file of [...files, ...(options.audio ? [options.audio] : [])])
      handles.push(await open(file, 'r'))
    const mdat = Buffer.alloc(mdatHeader)
    if (mdatHeader === 16) {
      mdat.writeUInt32BE(1, 0)
      mdat.write('mdat', 4, 'latin1')
      mdat.writeBigUInt64BE(BigInt(payload + 16), 8)
    } else {
      mdat.writeUInt32BE(payload + 8, 0)
      mdat.write('mdat', 4, 'latin1')
    }
    await out.write(Buffer.concat([head, moov, mdat]))
    for (const chunk of chunks) {
      options.signal?.throwIfAborted()
      // A chunk is contiguous in its source (see chunked): one read, one write.
      const from = chunk.samples[0]!.offset
      const bytes = Buffer.alloc(chunk.samples.reduce((a, b) => a + b.size, 0))
      await handles[chunk.samples[0]!.source]!.read(bytes, 0, bytes.length, from)
      await out.write(bytes)
      if (chunk.track === 0) options.onProgress?.(chunk.time)
    }
    options.onProgress?.(videoDuration / vts)
  } finally {
    await Promise.all([out.close(), ...handles.map((h) => h.close())])
  }
  return true
}

/** Runs of samples that lie end to end in one source, about a second each (`perSecond` samples). */
function chunked(
  track: 0 | 1,
  samples: readonly Sample[],
  timeOf: (index: number) => number,
  perSecond: number,
): Chunk[] {
  const chunks: Chunk[] = []
  let current: Sample[] = []
  let start = 0
  samples.forEach((s, i) => {
    const last = current.at(-1)
    if (
      last &&
      (last.source !== s.source || last.offset + last.size !== s.offset || current.length >= perSecond)
    ) {
      chunks.push({ track, time: timeOf(start), samples: current })
      current = []
    }
    if (current.length === 0) start = i
    current.push(s)
  })
  if (current.length > 0) chunks.push({ track, time: timeOf(start), samples: current })
  return chunks
}

/** Video and audio chunks in order of time, video first on a tie. */
function interleave(video: readonly Chunk[], audio: readonly Chunk[]): Chunk[] {
  const out: Chunk[] = []
  let [v, a] = [0, 0]
  while (v < video.length || a < audio.length)
    out.push(
      a >= audio.length || (v < video.length && video[v]!.time <= audio[a]!.time) ? video[v++]! : audio[a++]!,
    )
  return out
}

function sum(values: readonly number[], count: number): number {
  let total = 0
  for (let i = 0; i < count; i++) total += values[i]!
  return total
}

function mostCommon(values: readonly number[]): number {
  const counts = new Map<number, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 1
}

// Box writing.

function box(type: string, ...payload: Buffer[]): Buffer {
  const header = Buffer.alloc(8)
  header.writeUInt32BE(8 + payload.reduce((s, p) => s + p.length, 0), 0)
  header.write(type, 4, 'latin1')
  return Buffer.concat([header, ...payload])
}

function fullBox(type: string, version: number, flags: number, ...payload: Buffer[]): Buffer {
  const vf = Buffer.alloc(4)
  vf.writeUInt32BE(((version & 0xff) << 24) | (flags & 0xffffff), 0)
  return box(type, vf, ...payload)
}

/** A sample table's 32-bit entries (an array, not arguments: a long reel has more than a call's limit). */
function table(values: readonly number[]): Buffer {
  const b = Buffer.alloc(values.length * 4)
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4))
  return b
}

function u32s(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4)
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4))
  return b
}

const MATRIX = u32s(0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)

function ftyp(): Buffer {
  return box('ftyp', Buffer.from('isom', 'latin1'), u32s(0x200), Buffer.from('isomiso2avc1mp41', 'latin1'))
}

interface MoovInput {
  readonly vts: number
  readonly delta: number
  readonly first: TrackSamples
  readonly video: readonly (Sample & { sync: boolean })[]
  readonly audio: TrackSamples | undefined
  readonly audioDurations: readonly number[]
  readonly editDuration: number
  readonly chunks: readonly Chunk[]
  readonly offsets: readonly number[]
  readonly wide: boolean
}

function moovBox(m: MoovInput): Buffer {
  const duration = m.video.length * m.delta
  const mvhd = fullBox(
    'mvhd',
    0,
    0,
    u32s(0, 0, m.vts, duration, 0x10000),
    Buffer.from([0x01, 0x00]),
    Buffer.alloc(10),
    MATRIX,
    Buffer.alloc(24),
    u32s(m.audio ? 3 : 2),
  )
  const track = (index: 0 | 1): Buffer => {
    const chunks = m.chunks.map((c, i) => ({ c, offset: m.offsets[i]! })).filter(({ c }) => c.track === index)
    const isVideo = index === 0
    const samples = isVideo ? m.video : chunks.flatMap(({ c }) => c.samples)
    const durations = isVideo ? m.video.map(() => m.delta) : m.audioDurations
    const source = isVideo ? m.first : m.audio!
    const mediaDuration = durations.reduce((a, b) => a + b, 0)
    const trackDuration = isVideo ? duration : m.editDuration
    const tkhd = fullBox(
      'tkhd',
      0,
      3,
      u32s(0, 0, index + 1, 0, trackDuration, 0, 0),
      Buffer.from([0, 0, 0, isVideo ? 0 : 1, isVideo ? 0 : 1, 0, 0, 0]),
      MATRIX,
      u32s(isVideo ? source.width * 65536 : 0, isVideo ? source.height * 65536 : 0),
    )
    const edts = isVideo
      ? []
      : [box('edts', fullBox('elst', 0, 0, u32s(1, m.editDuration, m.audio!.mediaStart, 0x10000)))]
    const mdhd = fullBox(
      'mdhd',
      0,
      0,
      u32s(0, 0, source.timescale, mediaDuration),
      Buffer.from([0x55, 0xc4, 0, 0]),
    )
    const name = isVideo ? 'VideoHandler' : 'SoundHandler'
    const hdlr = fullBox(
      'hdlr',
      0,
      0,
      u32s(0),
      Buffer.from(isVideo ? 'vide' : 'soun', 'latin1'),
      Buffer.alloc(12),
      Buffer.from(`${name}\0`, 'latin1'),
    )
    const header = isVideo ? fullBox('vmhd', 0, 1, Buffer.alloc(8)) : fullBox('smhd', 0, 0, Buffer.alloc(4))
    const dinf = box('dinf', fullBox('dref', 0, 0, u32s(1), fullBox('url ', 0, 1)))
    const stts = runs(durations)
    const sttsBox = fullBox('stts', 0, 0, u32s(stts.length), table(stts.flatMap((r) => [r.count, r.value])))
    const stsc: number[] = []
    chunks.forEach(({ c }, i) => {
      if (i === 0 || chunks[i - 1]!.c.samples.length !== c.samples.length)
        stsc.push(i + 1, c.samples.length, 1)
    })
    const stscBox = fullBox('stsc', 0, 0, u32s(stsc.length / 3), table(stsc))
    const stszBox = fullBox('stsz', 0, 0, u32s(0, samples.length), table(samples.map((s) => s.size)))
    const chunkBox = m.wide
      ? fullBox(
          'co64',
          0,
          0,
          u32s(chunks.length),
          Buffer.concat(
            chunks.map(({ offset }) => {
              const b = Buffer.alloc(8)
              b.writeBigUInt64BE(BigInt(offset))
              return b
            }),
          ),
        )
      : fullBox('stco', 0, 0, u32s(chunks.length), table(chunks.map(({ offset }) => offset)))
    const sync = isVideo ? m.video.flatMap((s, i) => (s.sync ? [i + 1] : [])) : []
    const stss =
      isVideo && sync.length < m.video.length ? [fullBox('stss', 0, 0, u32s(sync.length), table(sync))] : []
    const stbl = box('stbl', box('stsd', source.stsd), sttsBox, ...stss, stscBox, stszBox, chunkBox)
    return box('trak', tkhd, ...edts, box('mdia', mdhd, hdlr, box('minf', header, dinf, stbl)))
  }
  return box('moov', mvhd, track(0), ...(m.audio ? [track(1)] : []))
}

function runs(values: readonly number[]): { count: number; value: number }[] {
  const out: { count: number; value: number }[] = []
  for (const value of values) {
    const last = out.at(-1)
    if (last && last.value === value) last.count++
    else out.push({ count: 1, value })
  }
  return out
}
