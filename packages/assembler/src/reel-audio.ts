import { type Canvas, SAMPLE_RATE, samplesFor } from './canvas.ts'
import { audioJoinChain, type PlannedJoin } from './join-plan.ts'
import {
  type LoudnessMeasurement,
  mixChain,
  soundtrackChain,
  soundtrackInput,
  type SoundtrackSpec,
} from './soundtrack.ts'

export const AUDIO_OUT = ['-c:a', 'aac', '-b:a', '192k', '-ar', String(SAMPLE_RATE)]

/** A segment's audio: the samples of mezzanine frames `[from, to)` from its WAV `file`, or silence as long when it has none. */
export interface SegmentAudio {
  readonly file?: string | undefined
  readonly from: number
  readonly to: number
}

export interface ReelAudio {
  /** ffmpeg input arguments, to come after `firstInput` inputs already on the command line. */
  readonly inputs: readonly string[]
  readonly graph: string
  /** The graph's output label, without brackets. */
  readonly label: string
  /** Samples of the reel's audio. */
  readonly samples: number
}

export interface Soundtrack {
  readonly spec: SoundtrackSpec
  readonly measured: LoudnessMeasurement | undefined
  /**
   * The soundtrack alone, finished as the reel's AAC track (see encodedSoundtrack):
   * when every clip is silent the join copies it instead of building the audio.
   */
  readonly encoded?: string | undefined
}

/** Samples in the reel: each segment's, less each crossfade's overlap. */
export function reelSamples(
  segments: readonly SegmentAudio[],
  joins: readonly PlannedJoin[],
  fps: number,
): number {
  const length = (s: SegmentAudio): number => samplesFor(s.to, fps) - samplesFor(s.from, fps)
  return segments.reduce(
    (sum, s, i) => sum + length(s) - (joins[i]?.type === 'crossfade' ? samplesFor(joins[i].frames, fps) : 0),
    0,
  )
}

/**
 * The reel's audio as one filter graph: each segment's samples cut exactly from its
 * mezzanine's PCM (or silence), joined as the video is (acrossfade, fades through
 * silence, concat), with the soundtrack mixed under when there is one. A reel whose
 * clips are all silent reads no file at all. The WAVs become inputs from `firstInput` on.
 */
export function reelAudio(
  segments: readonly SegmentAudio[],
  joins: readonly PlannedJoin[],
  canvas: Pick<Canvas, 'fps'>,
  firstInput: number,
  soundtrack: Soundtrack | undefined,
): ReelAudio {
  const samples = reelSamples(segments, joins, canvas.fps)
  const files = [...new Set(segments.flatMap((s) => (s.file ? [s.file] : [])))]
  const inputOf = (file: string): number => firstInput + files.indexOf(file)
  const bedInput = firstInput + files.length
  const bed = soundtrack
    ? [soundtrackChain(`${bedInput}:a:0`, 'bed', soundtrack.spec, samples, soundtrack.measured)]
    : []
  const inputs = [...files.flatMap((f) => ['-i', f]), ...(soundtrack ? soundtrackInput(soundtrack.spec) : [])]
  const mixed = (parts: readonly string[], label: string): ReelAudio =>
    soundtrack
      ? { inputs, graph: [...parts, ...bed, mixChain(label, 'bed', 'mix')].join(';'), label: 'mix', samples }
      : { inputs, graph: parts.join(';'), label, samples }

  if (segments.every((s) => !s.file))
    return mixed([`anullsrc=r=${SAMPLE_RATE}:cl=stereo,atrim=end_sample=${samples}[silence]`], 'silence')
  const sources = segments.map((s, i) => {
    const [start, end] = [samplesFor(s.from, canvas.fps), samplesFor(s.to, canvas.fps)]
    return s.file
      ? `[${inputOf(s.file)}:a:0]atrim=start_sample=${start}:end_sample=${end}[sa${i}]`
      : `anullsrc=r=${SAMPLE_RATE}:cl=stereo,atrim=end_sample=${end - start}[sa${i}]`
  })
  const chain = audioJoinChain(
    segments.map((s) => ({ samples: samplesFor(s.to, canvas.fps) - samplesFor(s.from, canvas.fps) })),
    joins,
    canvas,
    (i) => `sa${i}`,
  )
  return mixed([...sources, ...chain.parts], chain.label)
}
