import type { OutputSpec } from '@storyreel/core'
import { type Canvas, resolveCanvas } from './canvas.ts'
import { AssemblerError } from './errors.ts'
import { readMp4Fingerprint } from './internal/mp4-fingerprint.ts'
import { probeMedia } from './probe.ts'

/**
 * The reel's canvas: the output's size and rate, each missing one from the first
 * clip, read from its MP4 header in JS when possible (ffprobe otherwise), so a
 * re-assembly whose mezzanines are cached starts no process to find it.
 */
export async function canvasFromClip(
  output: Pick<OutputSpec, 'width' | 'height' | 'fps'>,
  firstClip: string | undefined,
): Promise<Canvas> {
  const { width, height, fps } = output
  if (width && height && fps)
    return resolveCanvas(output, { displayWidth: width, displayHeight: height, frameRate: String(fps), fps })
  if (!firstClip)
    throw new AssemblerError(
      'ASM_BAD_INPUT',
      'The reel takes its size or frame rate from the first clip, which has not been given.',
    )
  const video =
    (await readMp4Fingerprint(firstClip).catch(() => undefined))?.video ?? (await probeMedia(firstClip)).video
  if (!video)
    throw new AssemblerError('ASM_BAD_INPUT', `The first clip (${firstClip}) has no video stream.`, {
      file: firstClip,
    })
  return resolveCanvas(output, video)
}
