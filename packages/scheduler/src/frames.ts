import { mkdir, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { extractLastFrame, runFfmpeg } from '@storyreel/assembler'
import { runPaths } from './run-paths.ts'

/** Writes `<runDir>/frames/<shot>.last.png`, the exact last frame a chained shot starts from (lossless PNG). */
export async function writeLastFrame(runDir: string, shot: string, clip: string, signal?: AbortSignal): Promise<string> {
  const png = runPaths.lastFrame(runDir, shot)
  await mkdir(dirname(png), { recursive: true })
  await extractLastFrame(clip, png, signal ? { signal } : {})
  return png
}

/** Writes `<runDir>/frames/<shot>.first.png`, for the render page and the contact sheet. */
export async function writeFirstFrame(runDir: string, shot: string, clip: string, signal?: AbortSignal): Promise<string> {
  const png = runPaths.firstFrame(runDir, shot)
  await mkdir(dirname(png), { recursive: true })
  const temp = `${png}.${process.pid}.tmp.png`
  try {
    await runFfmpeg(['-y', '-i', clip, '-map', '0:v:0', '-an', '-frames:v', '1', '-pix_fmt', 'rgb24', '-f', 'image2', '-c:v', 'png', temp], { signal })
    await rename(temp, png)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
  return png
}
