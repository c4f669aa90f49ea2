/** Reading ISO-BMFF (MP4/MOV) boxes: enough to walk `moov` and its sample tables. */
import type { FileHandle } from 'node:fs/promises'

export const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl'])

export interface Box {
  readonly type: string
  /** Payload bounds within the buffer. */
  readonly start: number
  readonly end: number
}

export async function findTopLevelBox(handle: FileHandle, type: string): Promise<Buffer | undefined> {
  const { size } = await handle.stat()
  const header = Buffer.alloc(16)
  let offset = 0
  while (offset + 8 <= size) {
    await handle.read(header, 0, 16, offset)
    let boxSize = header.readUInt32BE(0)
    let headerSize = 8
    if (boxSize === 1) {
      boxSize = Number(header.readBigUInt64BE(8))
      headerSize = 16
    } else if (boxSize === 0) boxSize = size - offset
    if (boxSize < headerSize) return undefined
    if (header.toString('latin1', 4, 8) === type) {
      const payload = Buffer.alloc(boxSize - headerSize)
      await handle.read(payload, 0, payload.length, offset + headerSize)
      return payload
    }
    offset += boxSize
  }
  return undefined
}

export function children(buffer: Buffer, start: number, end: number): Box[] {
  const boxes: Box[] = []
  let offset = start
  while (offset + 8 <= end) {
    const size = buffer.readUInt32BE(offset)
    if (size < 8 || offset + size > end) break
    boxes.push({
      type: buffer.toString('latin1', offset + 4, offset + 8),
      start: offset + 8,
      end: offset + size,
    })
    offset += size
  }
  return boxes
}

export function collect(buffer: Buffer, start: number, end: number, into: Map<string, Buffer>): void {
  for (const box of children(buffer, start, end)) {
    if (CONTAINERS.has(box.type)) collect(buffer, box.start, box.end, into)
    else if (!into.has(box.type)) into.set(box.type, buffer.subarray(box.start, box.end))
  }
}

/** Total samples and duration (in timescale units), and the duration most samples have (the last one often differs). */
export function readStts(stts: Buffer): { samples: number; delta: number; total: number } {
  const entries = stts.readUInt32BE(4)
  let samples = 0
  let total = 0
  let delta = 0
  let most = 0
  for (let i = 0; i < entries; i++) {
    const count = stts.readUInt32BE(8 + i * 8)
    const duration = stts.readUInt32BE(12 + i * 8)
    samples += count
    total += count * duration
    if (count > most) [most, delta] = [count, duration]
  }
  return { samples, delta, total }
}
