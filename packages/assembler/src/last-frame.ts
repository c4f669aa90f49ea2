import { stat } from 'node:fs/promises'
import { AssemblerError } from './errors.ts'
import { runFfmpeg } from './ffmpeg.ts'
import { writeAtomically } from './internal/temp-file.ts'
import { countFrames, probeMedia } from './probe.ts'

/** Seconds before the video's end to start decoding; wide enough to hold the last keyframe interval's tail. */
const SEEK_WINDOW = 1

/**
 * Writes the exact last video frame of `clip` as a lossless PNG (for chaining the
 * next shot from it). Seeks relative to the video stream's own duration, so a
 * longer audio track does not push the seek past the video; decodes to the end
 * with `-update 1` so the file holds the last decoded frame. Falls back to
 * counting frames and selecting the last one when the stream has no duration.
 *
 * @example
 * await extractLastFrame('shot-1.mp4', 'shot-1.last.png')
 */
export async function extractLastFrame(clip: string, png: string, options: { signal?: AbortSignal } = {}): Promise<void> {
  const { signal } = options
  const info = await probeMedia(clip, { signal })
  if (!info.video) throw new AssemblerError('FFMPEG_PROBE', `${clip} has no video stream, so it has no last frame.`, { file: clip })
  const duration = info.video.duration
  const common = ['-map', '0:v:0', '-an', '-sn', '-dn', '-vsync', 'passthrough', '-sws_flags', 'bicubic+accurate_rnd+full_chroma_int']
  await writeAtomically(png, async (temp) => {
    if (duration !== undefined && duration > 0) {
      const seek = Math.max(0, duration - SEEK_WINDOW).toFixed(6)
      await runFfmpeg(['-y', '-ss', seek, '-i', clip, ...common, '-pix_fmt', 'rgb24', '-update', '1', '-f', 'image2', '-c:v', 'png', temp], { signal })
      if (await hasContent(temp)) return
    }
    const frames = await countFrames(clip, { signal })
    if (frames === 0) throw new AssemblerError('FFMPEG_PROBE', `${clip} has a video stream with no frames.`, { file: clip })
    await runFfmpeg(
      ['-y', '-i', clip, ...common, '-vf', `select=eq(n\\,${frames - 1})`, '-pix_fmt', 'rgb24', '-frames:v', '1', '-f', 'image2', '-c:v', 'png', temp],
      { signal },
    )
  })
}

async function hasContent(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.size > 0,
    () => false,
  )
}
