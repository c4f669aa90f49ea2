import { type Canvas, SAMPLE_RATE } from './canvas.ts'

/**
 * The mezzanine: the one format every segment of a reel is normalized to, and in
 * which every re-encoded piece of a reel is written, so that pieces and the
 * untouched bodies of mezzanines join with the concat demuxer and `-c copy`.
 *
 * - H.264 (libx264 veryfast, CRF 16, yuv420p, BT.709 tags), **no B-frames**: frames
 *   are decoded in the order they are shown, so a body can end on any frame (the
 *   concat demuxer's `outpoint`) without re-encoding anything.
 * - **Closed GOPs of half a second**: an IDR at frame 0, then at frame 1 and every
 *   `keyframeInterval` frames after it. Frame 1 is where every chained shot starts
 *   (its frame 0 repeats the previous shot's last frame), so a transition of whole
 *   half-seconds into a chained shot ends on an IDR and only its overlap is
 *   re-encoded (counted from frame 0 it would end half a second before the next
 *   one). A body must start on an IDR, so a trim or the end of a transition that
 *   falls between two costs at most half a second of re-encoding, for about 4%
 *   more bits than 1-second GOPs (measured at 720p).
 * - `stitchable=1` and the same options for every encode, so x264 writes the same
 *   parameter sets (SPS/PPS) whatever the content: checked before every join.
 * - Video only, in MOV. The audio, when the clip has any, is a WAV beside it (PCM
 *   s16le, 48 kHz stereo, exactly as long as the video in samples): the concat
 *   demuxer ends a file's entry as soon as *any* stream passes its `outpoint`, so an
 *   audio track interleaved with the video would cut frames off. A clip without
 *   audio has no WAV; the join puts silence there.
 */
export const MEZZANINE = {
  /** Bump whenever anything below changes, so cached mezzanines and pieces are made again. */
  recipe: 4,
  container: 'mov',
  video: {
    codec: 'libx264',
    preset: 'veryfast',
    crf: 16,
    pixFmt: 'yuv420p',
  },
  audio: { codec: 'pcm_s16le', sampleRate: SAMPLE_RATE, channels: 2 },
} as const

/** Frames between IDRs: half a second at the canvas's rate. */
export function keyframeInterval(canvas: Pick<Canvas, 'fps'>): number {
  return Math.max(1, Math.ceil(canvas.fps / 2))
}

/** Colour tags for the encoder: untagged HD decodes with shifted colours in some players. */
export function bt709Tags(): string[] {
  return ['-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv']
}

/**
 * ffmpeg output options that encode video as every mezzanine and piece is encoded
 * (see MEZZANINE). Feed it frames already on the canvas (size, `setsar=1`,
 * `fps=canvas.frameRate`, `format=yuv420p`). Pieces leave out `keyframes`.
 */
export function mezzanineVideoArgs(canvas: Pick<Canvas, 'fps'>, options: { keyframes: boolean }): string[] {
  const interval = keyframeInterval(canvas)
  const { codec, preset, crf, pixFmt } = MEZZANINE.video
  return [
    // Passthrough: the filter graph's timestamps are already exact; ffmpeg's default cfr sync may duplicate a last frame.
    '-vsync',
    'passthrough',
    '-c:v',
    codec,
    '-preset',
    preset,
    '-crf',
    String(crf),
    '-pix_fmt',
    pixFmt,
    '-bf',
    '0',
    '-g',
    String(interval),
    '-sc_threshold',
    '0',
    '-forced-idr',
    '1',
    '-x264-params',
    'stitchable=1',
    ...(options.keyframes ? ['-force_key_frames', `expr:eq(n,0)+not(mod(n-1,${interval}))`] : []),
    ...bt709Tags(),
    // Frames decoded from a JPEG carry centre-sited chroma, which x264 writes into the SPS: the parameter
    // sets would then differ from other clips' and the reel could not copy them side by side. Left is
    // H.264's default, so this only makes those frames' SPS equal the rest's.
    '-chroma_sample_location',
    'left',
  ]
}

/** ffmpeg output options for a mezzanine's audio track (see MEZZANINE). */
export function mezzanineAudioArgs(): string[] {
  const { codec, sampleRate, channels } = MEZZANINE.audio
  return ['-c:a', codec, '-ar', String(sampleRate), '-ac', String(channels)]
}
