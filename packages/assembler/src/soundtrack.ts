import { createHash } from 'node:crypto'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { SAMPLE_RATE } from './canvas.ts'
import { AssemblerError } from './errors.ts'
import { execFfmpeg } from './ffmpeg.ts'
import { writeAtomically } from './internal/temp-file.ts'

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
 * Names the soundtrack shaped to `samples`: the file (path, size, mtime), the
 * length and the shaping. Rejects with ASM_BAD_INPUT when the file cannot be read.
 */
export async function soundtrackKey(spec: SoundtrackSpec, samples: number): Promise<string> {
  const { size, mtimeMs } = await stat(spec.file).catch((cause: unknown) => {
    throw new AssemblerError(
      'ASM_BAD_INPUT',
      `Cannot read the soundtrack ${spec.file}: it does not exist or is not readable.`,
      { cause, file: spec.file },
    )
  })
  return createHash('sha256')
    .update(JSON.stringify([resolve(spec.file), size, mtimeMs, samples, spec.fadeOut, spec.loudness]))
    .digest('hex')
    .slice(0, 20)
}

/**
 * First loudnorm pass: measures the shaped soundtrack. Returns undefined when it is
 * silent (nothing to normalize). The answer is kept in `cacheDir` under the file
 * (path, size, mtime) and the shaping, so re-assembling does not decode it again.
 */
export async function measureSoundtrack(
  spec: SoundtrackSpec,
  samples: number,
  options: { signal?: AbortSignal | undefined; cacheDir?: string | undefined } = {},
): Promise<LoudnessMeasurement | undefined> {
  const key = await soundtrackKey(spec, samples)
  const cached = options.cacheDir && join(options.cacheDir, `loudness-${key}.json`)
  if (cached) {
    const saved = await readFile(cached, 'utf8').then(
      (text) => JSON.parse(text) as { measured: LoudnessMeasurement | null },
      () => undefined,
    )
    if (saved) return saved.measured ?? undefined
  }
  const filter = `[0:a:0]${shapeChain(spec, samples)},loudnorm=I=${spec.loudness}:TP=${TRUE_PEAK}:LRA=${RANGE}:print_format=json[m]`
  const { stderrTail } = await execFfmpeg(
    [
      '-loglevel',
      'info',
      ...soundtrackInput(spec),
      '-filter_complex',
      filter,
      '-map',
      '[m]',
      '-f',
      'null',
      '-',
    ],
    {
      signal: options.signal,
    },
  )
  const json = /\{[^{}]*"input_i"[^{}]*\}/.exec(stderrTail)?.[0]
  if (!json)
    throw new AssemblerError(
      'ASM_LOUDNESS',
      `loudnorm printed no measurement for ${spec.file}; check that it is a readable audio file.`,
      { file: spec.file, stderr: stderrTail },
    )
  const parsed = JSON.parse(json) as LoudnessMeasurement
  const measured =
    Number.isFinite(Number(parsed.input_i)) && Number(parsed.input_i) > -70 ? parsed : undefined
  if (cached)
    await writeAtomically(cached, (temp) => writeFile(temp, JSON.stringify({ measured: measured ?? null })))
  return measured
}

/**
 * Second pass, as a filter chain from `input` to `output` labels: the shaped
 * soundtrack with the measured values fed back (`linear=true`: one gain, no pumping),
 * resampled to 48 kHz and held to exactly `samples`.
 */
export function soundtrackChain(
  input: string,
  output: string,
  spec: SoundtrackSpec,
  samples: number,
  measured: LoudnessMeasurement | undefined,
): string {
  const gain = measured && linearGain(spec, measured)
  const loudnorm = !measured
    ? ''
    : gain !== undefined
      ? `,volume=${gain}dB`
      : `,loudnorm=I=${spec.loudness}:TP=${TRUE_PEAK}:LRA=${RANGE}:measured_I=${measured.input_i}:measured_TP=${measured.input_tp}` +
        `:measured_LRA=${measured.input_lra}:measured_thresh=${measured.input_thresh}:offset=${measured.target_offset}:linear=true` +
        `,aresample=${SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo`
  return `[${input}]${shapeChain(spec, samples)}${loudnorm},apad,atrim=end_sample=${samples}[${output}]`
}

/**
 * The gain, in dB, that loudnorm's second pass would apply when it can stay linear:
 * its own test (ffmpeg's af_loudnorm.c), the measured true peak raised by the gain
 * within the target and the measured range within the target's. loudnorm then only
 * multiplies every sample by that gain, but on audio it has resampled to 192 kHz;
 * `volume` does the same at 48 kHz, without the two resamplings that cost most of
 * the pass. Undefined when loudnorm would have to compress (dynamic mode).
 */
export function linearGain(spec: SoundtrackSpec, measured: LoudnessMeasurement): number | undefined {
  const [i, tp, lra, thresh] = [
    measured.input_i,
    measured.input_tp,
    measured.input_lra,
    measured.input_thresh,
  ].map(Number) as [number, number, number, number]
  if (![i, tp, lra, thresh].every(Number.isFinite) || i === 0 || lra === 0 || thresh === -70 || tp === 99)
    return undefined
  const gain = spec.loudness - i
  return tp + gain <= TRUE_PEAK && lra <= RANGE ? Number(gain.toFixed(2)) : undefined
}

/** Mixes the clips' audio with the soundtrack bed without halving either (amix would). */
export function mixChain(clips: string, bed: string, output: string): string {
  return `[${clips}][${bed}]amerge=inputs=2,pan=stereo|c0=c0+c2|c1=c1+c3[${output}]`
}
