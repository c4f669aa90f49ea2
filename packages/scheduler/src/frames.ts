import { mkdir, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { extractLastFrame, runFfmpeg } from '@storyreel/assembler'
import { runPaths } from './run-paths.ts'

/**
 * Writes `<runDir>/frames/<shot>.last.png` (what a chained shot starts from) and
 * `<shot>.first.png` (for the render page and contact sheet), both lossless PNG.
 */
export async function writeClipFrames(runDir: string, shot: string, clip: string, signal?: AbortSignal): Promise<{ first: string; last: string }> {
  const first = runPaths.firstFrame(runDir, shot)
  const last = runPaths.lastFrame(runDir, shot)
  await mkdir(dirname(last), { recursive: true })
  await Promise.all([extractLastFrame(clip, last, signal ? { signal } : {}), extractFirstFrame(clip, first, signal)])
  return { first, last }
}

async function extractFirstFrame(clip: string, png: string, signal?: AbortSignal): Promise<void> {
  const temp = `${png}.${process.pid}.tmp.png`
  try {
    await runFfmpeg(['-y', '-i', clip, '-map', '0:v:0', '-an', '-frames:v', '1', '-pix_fmt', 'rgb24', '-f', 'image2', '-c:v', 'png', temp], { signal })
    await rename(temp, png)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}
