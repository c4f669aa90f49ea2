import { rename, rm } from 'node:fs/promises'
import { extractLastFrame, runFfmpeg } from '@storyreel/assembler'
import type { ClipHooks } from '@storyreel/scheduler'

/**
 * The frame extractor the scheduler is given.
 * TEMPORARY (issue 13): the assembler is adding `extractFrames(clip, { first, last }, { signal })`;
 * pass that instead and delete this file. Until then: the assembler's exact `extractLastFrame`, and
 * the first-frame ffmpeg call the scheduler used to make itself.
 */
export const extractFrames: ClipHooks['extractFrames'] = async (clip, frames, options) => {
  const signal = options.signal ? { signal: options.signal } : {}
  await Promise.all([frames.last ? extractLastFrame(clip, frames.last, signal) : undefined, frames.first ? extractFirstFrame(clip, frames.first, signal) : undefined])
}

async function extractFirstFrame(clip: string, png: string, options: { signal?: AbortSignal }): Promise<void> {
  const temp = `${png}.${process.pid}.tmp.png`
  try {
    await runFfmpeg(['-y', '-i', clip, '-map', '0:v:0', '-an', '-frames:v', '1', '-pix_fmt', 'rgb24', '-f', 'image2', '-c:v', 'png', temp], options)
    await rename(temp, png)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}
