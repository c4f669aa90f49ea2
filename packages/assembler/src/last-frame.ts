import { extractFrames, type ExtractFramesOptions } from './frames.ts'

/**
 * Writes the exact last video frame of `clip` as a lossless PNG (for chaining the
 * next shot from it): `extractFrames(clip, { last: png })`.
 *
 * @example
 * await extractLastFrame('shot-1.mp4', 'shot-1.last.png')
 */
export async function extractLastFrame(
  clip: string,
  png: string,
  options: ExtractFramesOptions = {},
): Promise<void> {
  await extractFrames(clip, { last: png }, options)
}
