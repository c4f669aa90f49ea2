import type { Canvas } from './canvas.ts'
import type { MediaInfo } from './probe.ts'

/**
 * True when the clips can be joined by the concat demuxer with stream copy and
 * still play correctly: same codec and parameter sets (extradata), the canvas's
 * size and rate, square pixels, yuv420p, one timebase, and identical audio (or none).
 * Mixed rates "succeed" silently with broken timing, so every field is checked.
 */
export function canStreamCopy(infos: readonly MediaInfo[], canvas: Canvas): boolean {
  const first = infos[0]
  if (!first?.video) return false
  const audioKey = (i: MediaInfo): string =>
    i.audio ? [i.audio.codec, i.audio.sampleRate, i.audio.channels, i.audio.extradataHash].join('|') : 'none'
  return infos.every((info) => {
    const v = info.video
    return (
      v !== undefined &&
      v.codec === first.video!.codec &&
      ['h264', 'hevc'].includes(v.codec) &&
      v.extradataHash === first.video!.extradataHash &&
      v.timeBase === first.video!.timeBase &&
      v.width === canvas.width &&
      v.height === canvas.height &&
      v.rotation === 0 &&
      v.sar === '1:1' &&
      v.pixFmt === 'yuv420p' &&
      Math.abs(v.fps - canvas.fps) < 1e-6 &&
      audioKey(info) === audioKey(first)
    )
  })
}
