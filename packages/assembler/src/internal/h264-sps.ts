/** The facts of an H.264 sequence parameter set that decide whether a stream needs converting. */
export interface SpsFacts {
  readonly chromaFormat: number
  readonly bitDepth: number
  /** Sample aspect ratio from the VUI; `1:1` when unspecified. */
  readonly sar: string
  readonly fullRange: boolean
}

const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135])
/** Table E-1 of the H.264 spec: aspect_ratio_idc 1–16. */
const SAR_TABLE = [
  '0:1',
  '1:1',
  '12:11',
  '10:11',
  '16:11',
  '40:33',
  '24:11',
  '20:11',
  '32:11',
  '80:33',
  '18:11',
  '15:11',
  '64:33',
  '160:99',
  '4:3',
  '3:2',
  '2:1',
]

/** Reads the SPS NAL unit (with its header byte); undefined when it cannot be parsed. */
export function parseSps(nal: Buffer): SpsFacts | undefined {
  try {
    const bits = new BitReader(unescape(nal.subarray(1)))
    const profile = bits.u(8)
    bits.u(16) // constraint flags, level
    bits.ue() // seq_parameter_set_id
    let chromaFormat = 1
    let bitDepth = 8
    if (HIGH_PROFILES.has(profile)) {
      chromaFormat = bits.ue()
      if (chromaFormat === 3) bits.u(1)
      bitDepth = bits.ue() + 8
      if (bits.ue() + 8 !== bitDepth) return undefined // luma and chroma depths differ: let ffprobe describe it
      bits.u(1)
      if (bits.u(1))
        for (let i = 0; i < (chromaFormat === 3 ? 12 : 8); i++)
          if (bits.u(1)) skipScalingList(bits, i < 6 ? 16 : 64)
    }
    bits.ue() // log2_max_frame_num
    const pocType = bits.ue()
    if (pocType === 0) bits.ue()
    else if (pocType === 1) {
      bits.u(1)
      bits.se()
      bits.se()
      for (let i = bits.ue(); i > 0; i--) bits.se()
    }
    bits.ue() // max_num_ref_frames
    bits.u(1)
    bits.ue() // width in macroblocks
    bits.ue() // height in map units
    if (!bits.u(1)) bits.u(1) // frame_mbs_only, else mb_adaptive_frame_field
    bits.u(1)
    if (bits.u(1)) for (let i = 0; i < 4; i++) bits.ue() // cropping
    let sar = '1:1'
    let fullRange = false
    if (bits.u(1)) {
      if (bits.u(1)) {
        const idc = bits.u(8)
        sar = idc === 255 ? `${bits.u(16)}:${bits.u(16)}` : (SAR_TABLE[idc] ?? '1:1')
        if (sar === '0:1') sar = '1:1'
      }
      if (bits.u(1)) bits.u(1) // overscan
      if (bits.u(1)) {
        bits.u(3)
        fullRange = bits.u(1) === 1
      }
    }
    return { chromaFormat, bitDepth, sar, fullRange }
  } catch {
    return undefined
  }
}

function skipScalingList(bits: BitReader, size: number): void {
  let last = 8
  let next = 8
  for (let j = 0; j < size; j++) {
    if (next !== 0) next = (last + bits.se() + 256) % 256
    last = next === 0 ? last : next
  }
}

/** Removes emulation-prevention bytes (00 00 03 → 00 00). */
function unescape(data: Buffer): Buffer {
  const out: number[] = []
  for (let i = 0; i < data.length; i++) {
    if (i >= 2 && data[i] === 3 && data[i - 1] === 0 && data[i - 2] === 0) continue
    out.push(data[i]!)
  }
  return Buffer.from(out)
}

class BitReader {
  readonly #data: Buffer
  #bit = 0

  constructor(data: Buffer) {
    this.#data = data
  }

  u(count: number): number {
    let value = 0
    for (let i = 0; i < count; i++) {
      const byte = this.#data[this.#bit >> 3]
      if (byte === undefined) throw new RangeError('SPS ended early')
      value = value * 2 + ((byte >> (7 - (this.#bit & 7))) & 1)
      this.#bit++
    }
    return value
  }

  ue(): number {
    let zeros = 0
    while (this.u(1) === 0) if (++zeros > 31) throw new RangeError('bad exp-Golomb code')
    return 2 ** zeros - 1 + this.u(zeros)
  }

  se(): number {
    const k = this.ue()
    return k % 2 ? (k + 1) / 2 : -(k / 2)
  }
}
