import { open, stat } from 'node:fs/promises'
import { imageSize } from 'image-size'

/** Kling's input-image rules (wavespeed-api.md §6): JPEG/PNG, >= 300x300, <= 10 MB, 1:2.5..2.5:1. */
export const IMAGE_RULES = { minSide: 300, maxBytes: 10 * 1024 * 1024, maxAspect: 2.5 } as const

/** Enough of a file to find its dimensions even behind a large EXIF block. */
const HEADER_BYTES = 1024 * 1024

export type ImageFacts =
  | { readonly kind: 'missing' }
  | { readonly kind: 'not-a-file' }
  | { readonly kind: 'unreadable'; readonly reason: string }
  | { readonly kind: 'image'; readonly bytes: number; readonly type?: string; readonly width?: number; readonly height?: number }

export type ImageProblem =
  | { readonly code: 'CORE_IMAGE_NOT_FOUND' | 'CORE_IMAGE_UNREADABLE' | 'CORE_IMAGE_FORMAT' | 'CORE_IMAGE_TOO_SMALL' | 'CORE_IMAGE_TOO_LARGE' | 'CORE_IMAGE_ASPECT'; readonly message: string }

/** Reads what the rules need from an image file: its size, format (by content) and dimensions. */
export async function inspectImage(path: string): Promise<ImageFacts> {
  let bytes: number
  try {
    const info = await stat(path)
    if (!info.isFile()) return { kind: 'not-a-file' }
    bytes = info.size
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' }
    return { kind: 'unreadable', reason: (error as Error).message }
  }
  let header: Uint8Array
  try {
    const handle = await open(path, 'r')
    try {
      const buffer = Buffer.alloc(Math.min(bytes, HEADER_BYTES))
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
      header = buffer.subarray(0, bytesRead)
    } finally {
      await handle.close()
    }
  } catch (error) {
    return { kind: 'unreadable', reason: (error as Error).message }
  }
  try {
    const { type, width, height } = imageSize(header)
    return { kind: 'image', bytes, type, width, height }
  } catch {
    return { kind: 'image', bytes }
  }
}

/** A cache so a storyboard that uses one image in many shots reads it once. */
export function createImageInspector(): (path: string) => Promise<ImageFacts> {
  const cache = new Map<string, Promise<ImageFacts>>()
  return (path) => {
    let facts = cache.get(path)
    if (!facts) {
      facts = inspectImage(path)
      cache.set(path, facts)
    }
    return facts
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

/** Everything wrong with an image for Kling; `label` is the path as the user wrote it. */
export function imageProblems(facts: ImageFacts, label: string, absolutePath: string): ImageProblem[] {
  switch (facts.kind) {
    case 'missing':
      return [{ code: 'CORE_IMAGE_NOT_FOUND', message: `image "${label}" not found (looked for ${absolutePath}); paths are relative to the storyboard's folder` }]
    case 'not-a-file':
      return [{ code: 'CORE_IMAGE_UNREADABLE', message: `image "${label}" is a folder, not an image file` }]
    case 'unreadable':
      return [{ code: 'CORE_IMAGE_UNREADABLE', message: `image "${label}" cannot be read: ${facts.reason}` }]
    case 'image':
      break
  }
  const problems: ImageProblem[] = []
  if (facts.bytes > IMAGE_RULES.maxBytes) {
    problems.push({ code: 'CORE_IMAGE_TOO_LARGE', message: `image "${label}" is ${megabytes(facts.bytes)}; Kling takes at most 10 MB, re-encode it (e.g. as JPEG quality 90)` })
  }
  if (facts.type !== 'jpg' && facts.type !== 'png') {
    const what = facts.type === undefined ? 'not an image this tool recognises' : `a ${facts.type.toUpperCase()} image`
    problems.push({ code: 'CORE_IMAGE_FORMAT', message: `image "${label}" is ${what}; Kling takes JPEG or PNG only (convert it, e.g. ffmpeg -i in out.png)` })
    return problems
  }
  const { width = 0, height = 0 } = facts
  if (width < IMAGE_RULES.minSide || height < IMAGE_RULES.minSide) {
    problems.push({ code: 'CORE_IMAGE_TOO_SMALL', message: `image "${label}" is ${width}x${height}; Kling needs at least 300x300 pixels` })
  }
  const ratio = Math.max(width, height) / Math.max(1, Math.min(width, height))
  if (ratio > IMAGE_RULES.maxAspect) {
    const shape = width >= height ? `${ratio.toFixed(2)}:1` : `1:${ratio.toFixed(2)}`
    problems.push({ code: 'CORE_IMAGE_ASPECT', message: `image "${label}" is ${width}x${height} (aspect ${shape}); Kling needs an aspect ratio between 1:2.5 and 2.5:1, crop it` })
  }
  return problems
}
