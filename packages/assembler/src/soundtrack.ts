import { SAMPLE_RATE } from './canvas.ts'
import { AssemblerError } from './errors.ts'
import { execFfmpeg } from './ffmpeg.ts'

export interface SoundtrackSpec {
  readonly file: string
  /** Seconds of fade-out at the reel's end. */
  readonly fadeOut: number
  /** Integrated loudness target, LUFS. */
  readonly loudness: number
}

/** What the first loudnorm pass measured, fed back to the second so it can apply one linear gain. */
export interface LoudnessMeasurement {
  readonly input_i: string
  readonly input_tp: string
  readonly input_lra: string
  readonly input_thresh: string
  readonly target_offset: string
}

const TRUE_PEAK = -1
const RANGE = 11

/** ffmpeg input arguments for the soundtrack: looped forever, the graph cuts it to the reel's length. */
export function soundtrackInput(spec: SoundtrackSpec): string[] {
  return ['-stream_loop', '-1', '-i', spec.file]
}

/** Trim/loop to `samples`, fade out, as 48 kHz stereo float. */
function shapeChain(spec: SoundtrackSpec, samples: number): string {
  const length = samples / SAMPLE_RATE
  const fade = Math.min(Math.max(0, spec.fadeOut), length)
  const filters = [
    `aresample=${SAMPLE_RATE}`,
    'aformat=sample_fmts=fltp:channel_layouts=stereo',
    `atrim=end_sample=${samples}`,
    'asetpts=PTS-STARTPTS',
  ]
  if (fade > 0) filters.push(`afade=t=out:st=${(length - fade).toFixed(6)}:d=${fade.toFixed(6)}`)
  return filters.join(',')
}

/**
 * First loudnorm pass: measures the shaped soundtrack. Returns undefined when it is
 * silent (nothing to normalize).
 */
export async function measureSoundtrack(spec: SoundtrackSpec, samples: number, signal?: AbortSignal): Promise<LoudnessMeasurement | undefined> {
  const filter = `[0:a:0]${shapeChain(spec, samples)},loudnorm=I=${spec.loudness}:TP=${TRUE_PEAK}:LRA=${RANGE}:print_format=json[m]`
  const { stderrTail } = await execFfmpeg(['-loglevel', 'info', ...soundtrackInput(spec), '-filter_complex', filter, '-map', '[m]', '-f', 'null', '-'], {
    signal,
  })
  const json = /\{[^{}]*"input_i"[^{}]*\}/.exec(stderrTail)?.[0]
  if (!json) throw new AssemblerError('ASM_LOUDNESS', `loudnorm printed no measurement for ${spec.file}; check that it is a readable audio file.`, { file: spec.file, stderr: stderrTail })
  const measured = JSON.parse(json) as LoudnessMeasurement
  return Number.isFinite(Number(measured.input_i)) && Number(measured.input_i) > -70 ? measured : undefined
}

/**
 * Second pass, as a filter chain from `input` to `output` labels: the shaped
 * soundtrack with the measured values fed back (`linear=true`: one gain, no pumping),
 * resampled to 48 kHz and held to exactly `samples`.
 */
export function soundtrackChain(input: string, output: string, spec: SoundtrackSpec, samples: number, measured: LoudnessMeasurement | undefined): string {
  const loudnorm = measured
    ? `,loudnorm=I=${spec.loudness}:TP=${TRUE_PEAK}:LRA=${RANGE}:measured_I=${measured.input_i}:measured_TP=${measured.input_tp}` +
      `:measured_LRA=${measured.input_lra}:measured_thresh=${measured.input_thresh}:offset=${measured.target_offset}:linear=true` +
      `,aresample=${SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo`
    : ''
  return `[${input}]${shapeChain(spec, samples)}${loudnorm},apad,atrim=end_sample=${samples}[${output}]`
}

/** Mixes the clips' audio with the soundtrack bed without halving either (amix would). */
export function mixChain(clips: string, bed: string, output: string): string {
  return `[${clips}][${bed}]amerge=inputs=2,pan=stereo|c0=c0+c2|c1=c1+c3[${output}]`
}
