import { stat } from 'node:fs/promises'
import { AssemblerError } from './errors.ts'
import { runFfmpeg } from './ffmpeg.ts'
import { writeAtomically } from './internal/temp-file.ts'
import { countFrames, probeMedia, type VideoStreamInfo } from './probe.ts'

/** Where to write a clip's frames; either may be left out. */
export interface FramePaths {
  /** PNG of the clip's first frame (for posters and the contact sheet). */
  readonly first?: string | undefined
  /** PNG of the clip's exact last frame (what a chained shot starts from). */
  readonly last?: string | undefined
}

export interface ExtractFramesOptions {
  readonly signal?: AbortSignal | undefined
}

/** Seconds before the video's end to start decoding; wide enough to hold the last keyframe interval's tail. */
const SEEK_WINDOW = 1

/** Lossless RGB PNG; accurate scaling so the chained frame matches the clip's pixels as closely as RGB allows. */
const PNG_OUT = [
  '-an',
  '-sn',
  '-dn',
  '-sws_flags',
  'bicubic+accurate_rnd+full_chroma_int',
  '-pix_fmt',
  'rgb24',
  '-f',
  'image2',
  '-c:v',
  'png',
]

/**
 * Writes a clip's first frame and its exact last frame as lossless PNGs in one
 * ffmpeg run, each atomically (a partial PNG never has its final name).
 *
 * The last frame comes from a seek to one second before the video stream's own
 * end (a longer audio track does not push the seek past the video), decoding to
 * the end and keeping only the frames in the final frame interval, so one PNG
 * is encoded rather than a second's worth. When the stream states no duration,
 * or its timestamps put no frame there, the frames are counted and the last one
 * is selected by index instead.
 *
 * @example
 * await extractFrames('shots/a.mp4', { first: 'frames/a.first.png', last: 'frames/a.last.png' }, { signal })
 */
export async function extractFrames(
  clip: string,
  to: FramePaths,
  options: ExtractFramesOptions = {},
): Promise<void> {
  const info = await probeMedia(clip, options)
  if (!info.video)
    throw new AssemblerError('FFMPEG_PROBE', `${clip} has no video stream, so it has no frames.`, {
      file: clip,
    })
  await decodeFrames(clip, info.video, to, { ...options, wholeClip: false })
}

export interface DecodeFramesOptions extends ExtractFramesOptions {
  /**
   * Decode every frame and stop at the first decoding error (`-xerror`), which
   * proves the clip decodes to its end; otherwise only the tail is decoded and
   * damage elsewhere is ignored, as a player would.
   */
  readonly wholeClip: boolean
}

/**
 * One ffmpeg run that writes the requested frames (and with `wholeClip`, decodes
 * every frame). Rejects with FFMPEG_EXIT when ffmpeg fails and FFMPEG_PROBE when
 * the stream has no frame to write.
 */
export async function decodeFrames(
  clip: string,
  video: VideoStreamInfo,
  to: FramePaths,
  options: DecodeFramesOptions,
): Promise<void> {
  const { signal, wholeClip } = options
  const finals = [to.first, to.last].filter((file): file is string => file !== undefined)
  await atomically(finals, async (temps) => {
    const firstTemp = to.first === undefined ? undefined : temps[0]
    const lastTemp = to.last === undefined ? undefined : temps.at(-1)
    const inputs: string[] = []
    let opened = 0
    const open = (...options: string[]): number => {
      inputs.push(...options, '-i', clip)
      return opened++
    }
    const fromStart = firstTemp !== undefined || wholeClip ? open() : undefined
    const outputs: string[] = []
    // select drops every later frame before its RGB conversion, which -frames:v alone would still pay for.
    if (firstTemp)
      outputs.push(
        '-map',
        `${fromStart}:v:0`,
        '-vf',
        'select=eq(n\\,0)',
        '-frames:v',
        '1',
        ...PNG_OUT,
        firstTemp,
      )
    if (wholeClip) outputs.push('-map', `${fromStart}:v:0`, '-f', 'null', '-')
    const tail = lastTemp ? finalInterval(video, wholeClip) : undefined
    if (lastTemp && tail) {
      const source = tail.seek > 0 ? open('-ss', tail.seek.toFixed(6)) : (fromStart ?? open())
      outputs.push(
        '-map',
        `${source}:v:0`,
        '-vsync',
        'passthrough',
        '-vf',
        tail.select,
        ...PNG_OUT,
        '-update',
        '1',
        lastTemp,
      )
    }
    if (outputs.length > 0)
      await runFfmpeg(['-y', ...(wholeClip ? ['-xerror'] : []), ...inputs, ...outputs], { signal })
    if (lastTemp && !(await hasContent(lastTemp))) await lastFrameByIndex(clip, lastTemp, signal)
  })
}

/**
 * Where to start decoding for the last frame (unless the whole clip is decoded
 * anyway) and a select filter passing only the frames of the final frame interval
 * (times count from the seek), so that `-update 1` encodes one PNG rather than a
 * second's worth. Undefined when the stream states no duration.
 */
function finalInterval(
  video: VideoStreamInfo,
  wholeClip: boolean,
): { seek: number; select: string } | undefined {
  const { duration, fps } = video
  if (duration === undefined || !(duration > 0) || !(fps > 0)) return undefined
  const seek = wholeClip ? 0 : Math.max(0, duration - SEEK_WINDOW)
  // The last frame starts one frame interval before the end; half an interval more absorbs rounding.
  return { seek, select: `select=gte(t\\,${(duration - 1.5 / fps - seek).toFixed(6)})` }
}

/** Counts the frames by demuxing, then decodes from the start and keeps frame N-1. */
async function lastFrameByIndex(clip: string, png: string, signal: AbortSignal | undefined): Promise<void> {
  const frames = await countFrames(clip, { signal })
  if (frames === 0)
    throw new AssemblerError('FFMPEG_PROBE', `${clip} has a video stream with no frames.`, { file: clip })
  await runFfmpeg(
    [
      '-y',
      '-i',
      clip,
      '-map',
      '0:v:0',
      '-vsync',
      'passthrough',
      '-vf',
      `select=eq(n\\,${frames - 1})`,
      '-frames:v',
      '1',
      ...PNG_OUT,
      png,
    ],
    { signal },
  )
  if (!(await hasContent(png)))
    throw new AssemblerError(
      'FFMPEG_PROBE',
      `${clip} has ${frames} frames in its index but frame ${frames} does not decode.`,
      { file: clip },
    )
}

/** Runs `write` with a temporary sibling for each file, then renames them all; if `write` fails, none is renamed. */
function atomically(
  finals: readonly string[],
  write: (temps: string[]) => Promise<void>,
  temps: readonly string[] = [],
): Promise<void> {
  const [next, ...rest] = finals
  if (next === undefined) return write([...temps])
  return writeAtomically(next, (temp) => atomically(rest, write, [...temps, temp]))
}

async function hasContent(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.size > 0,
    () => false,
  )
}
