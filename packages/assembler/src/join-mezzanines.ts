import { rm } from 'node:fs/promises'
import { SAMPLE_RATE, type Canvas } from './canvas.ts'
import { CONTAINER, writeConcatList } from './fast-path.ts'
import { runFfmpeg } from './ffmpeg.ts'
import { buildTransitionGraph, type CrossfadeMethod, type PlannedJoin } from './join-plan.ts'
import { bt709Tags, type Mezzanine } from './normalize.ts'
import { mixChain, soundtrackChain, soundtrackInput, type LoudnessMeasurement, type SoundtrackSpec } from './soundtrack.ts'

export interface JoinMezzaninesOptions {
  readonly mezzanines: readonly Mezzanine[]
  readonly joins: readonly PlannedJoin[]
  readonly canvas: Canvas
  /** How crossfades are drawn; see `crossfadeMethod`. Default `xfade`. */
  readonly crossfadeWith?: CrossfadeMethod | undefined
  /** Audio samples of the reel, for cutting the soundtrack. */
  readonly samples: number
  readonly soundtrack?: { readonly spec: SoundtrackSpec; readonly measured: LoudnessMeasurement | undefined } | undefined
  readonly workDir: string
  readonly out: string
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((outputSeconds: number) => void) | undefined
}

const AUDIO_OUT = ['-c:a', 'aac', '-b:a', '192k', '-ar', String(SAMPLE_RATE)]
// Passthrough: the graph's timestamps are already exact; ffmpeg's default cfr sync appends a duplicate last frame when audio is mapped.
const FINAL_VIDEO = ['-vsync', 'passthrough', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', ...bt709Tags()]

/**
 * Writes the reel from mezzanines: all cuts go through the concat demuxer with
 * the video stream-copied (only the audio is encoded, once, so it cannot drift);
 * any transition puts everything through one filtergraph and one encode.
 */
export async function joinMezzanines(options: JoinMezzaninesOptions): Promise<void> {
  const { mezzanines, joins, soundtrack, samples, signal, onProgress } = options
  const bed = (input: string): string => (soundtrack ? `${soundtrackChain(input, 'bed', soundtrack.spec, samples, soundtrack.measured)};` : '')
  const bedInput = soundtrack ? soundtrackInput(soundtrack.spec) : []

  if (joins.every((j) => j.type === 'cut')) {
    const list = await writeConcatList(
      mezzanines.map((m) => m.file),
      options.workDir,
    )
    const audio = soundtrack ? ['-filter_complex', `${bed('1:a:0')}${mixChain('0:a:0', 'bed', 'mix')}`, '-map', '[mix]'] : ['-map', '0:a:0']
    try {
      await runFfmpeg(
        ['-y', '-f', 'concat', '-safe', '0', '-i', list, ...bedInput, '-map', '0:v:0', ...audio, '-c:v', 'copy', ...AUDIO_OUT, ...CONTAINER, options.out],
        { signal, onProgress },
      )
    } finally {
      await rm(list, { force: true })
    }
    return
  }

  const { graph, videoLabel, audioLabel } = buildTransitionGraph(mezzanines, joins, options.canvas, options.crossfadeWith)
  const fullGraph = soundtrack ? `${graph};${bed(`${mezzanines.length}:a:0`)}${mixChain(audioLabel, 'bed', 'mix')}` : graph
  await runFfmpeg(
    [
      '-y',
      ...mezzanines.flatMap((m) => ['-i', m.file]),
      ...bedInput,
      '-filter_complex',
      fullGraph,
      '-map',
      `[${videoLabel}]`,
      '-map',
      soundtrack ? '[mix]' : `[${audioLabel}]`,
      ...FINAL_VIDEO,
      ...AUDIO_OUT,
      ...CONTAINER,
      options.out,
    ],
    { signal, onProgress },
  )
}
