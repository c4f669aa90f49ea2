import type { Canvas } from './canvas.ts'
import { runFfmpeg } from './ffmpeg.ts'
import type { PlannedJoin } from './join-plan.ts'
import { AUDIO_OUT, reelAudio, type SegmentAudio, type Soundtrack } from './reel-audio.ts'

export interface EncodeReelAudioOptions {
  readonly audio: readonly SegmentAudio[]
  readonly joins: readonly PlannedJoin[]
  readonly canvas: Pick<Canvas, 'fps'>
  readonly soundtrack?: Soundtrack | undefined
  /** The M4A to write. */
  readonly out: string
  readonly signal?: AbortSignal | undefined
}

/**
 * The reel's audio alone (see reelAudio: the clips' samples joined as the video is,
 * the soundtrack under them), AAC-encoded to an M4A. It needs only the reel's plan,
 * not its pieces, so it is made while they are, and the join then copies it.
 */
export async function encodeReelAudio(options: EncodeReelAudioOptions): Promise<void> {
  const mixed = reelAudio(options.audio, options.joins, options.canvas, 0, options.soundtrack)
  await runFfmpeg(
    [
      '-y',
      ...mixed.inputs,
      '-filter_complex',
      mixed.graph,
      '-map',
      `[${mixed.label}]`,
      ...AUDIO_OUT,
      '-f',
      'mp4',
      options.out,
    ],
    { signal: options.signal },
  )
}
