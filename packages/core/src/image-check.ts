import { imageSize } from 'image-size'
import { describeKind, type FileKind, readRegularFile } from './regular-file.ts'

/**
 * Kling's input-image rules (wavespeed-api.md §6): JPEG/PNG, >= 300x300, <= 10 MB, 1:2.5..2.5:1.
 * The API publishes no largest size; `maxSide` is storyreel's: Kling renders at most 1080p, so a
 * bigger image gains nothing, and a header claiming 100000x100000 would make decoders (ffmpeg's
 * frame extraction, the animatic) fail or run out of memory later.
 */
export const IMAGE_RULES = {
  minSide: 300,
  maxSide: 8192,
  maxBytes: 10 * 1024 * 1024,
  maxAspect: 2.5,
} as const

/** Enough of a file to find its dimensions even behind a large EXIF block; nothing more is read. */
const HEADER_BYTES = 1024 * 1024

export type ImageFacts =
  | { readonly kind: 'missing' }
  | { readonly kind: 'not-regular'; readonly fileKind: Exclude<FileKind, 'file'> }
  | { readonly kind: 'unreadable'; readonly reason: string }
  | {
      readonly kind: 'image'
      readonly bytes: number
      readonly type?: string
      readonly width?: number
      readonly height?: number
    }

export type ImageProblem = {
  readonly code:
    | 'CORE_IMAGE_NOT_FOUND'
    | 'CORE_IMAGE_UNREADABLE'
    | 'CORE_IMAGE_NOT_REGULAR'
    | 'CORE_IMAGE_FORMAT'
    | 'CORE_IMAGE_TOO_SMALL'
    | 'CORE_IMAGE_TOO_LARGE'
    | 'CORE_IMAGE_ASPECT'
    | 'CORE_IMAGE_DIMENSIONS'
  readonly message: string
}

/** Reads what the rules need from an image file: its size, format (by content) and dimensions. */
export async function inspectImage(path: string): Promise<ImageFacts> {
  const read = await readRegularFile(path, HEADER_BYTES)
  if (!read.ok) {
    switch (read.problem) {
      case 'missing':
        return { kind: 'missing' }
      case 'not-regular':
        return { kind: 'not-regular', fileKind: read.kind }
      case 'error':
        return { kind: 'unreadable', reason: read.reason }
    }
  }
  try {
    const { type, width, height } = imageSize(read.bytes)
    return { kind: 'image', bytes: read.size, type, width, height }
  } catch {
    return { kind: 'image', bytes: read.size }
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

function isSide(value: number | undefined): value is number {
  return value !== undefined && Number.isSafeInteger(value) && value > 0
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

/** Everything wrong with an image for Kling; `label` is the path as the user wrote it. */
export function imageProblems(facts: ImageFacts, label: string, absolutePath: string): ImageProblem[] {
  switch (facts.kind) {
    case 'missing':
      return [
        {
          code: 'CORE_IMAGE_NOT_FOUND',
          message: `image "${label}" not found (looked for ${absolutePath}); paths are relative to the storyboard's folder`,
        },
      ]
    case 'not-regular':
      if (facts.fileKind === 'folder')
        return [{ code: 'CORE_IMAGE_UNREADABLE', message: `image "${label}" is a folder, not an image file` }]
      return [
        {
          code: 'CORE_IMAGE_NOT_REGULAR',
          message: `image "${label}" is ${describeKind(facts.fileKind)}, not an image file; give the path of a JPEG or PNG file`,
        },
      ]
    case 'unreadable':
      return [{ code: 'CORE_IMAGE_UNREADABLE', message: `image "${label}" cannot be read: ${facts.reason}` }]
    case 'image':
      break
  }
  const problems: ImageProblem[] = []
  if (facts.bytes > IMAGE_RULES.maxBytes) {
    problems.push({
      code: 'CORE_IMAGE_TOO_LARGE',
      message: `image "${label}" is ${megabytes(facts.bytes)}; Kling takes at most 10 MB, re-encode it (e.g. as JPEG quality 90)`,
    })
  }
  if (facts.type !== 'jpg' && facts.type !== 'png') {
    const what =
      facts.type === undefined ? 'not an image this tool recognises' : `a ${facts.type.toUpperCase()} image`
    problems.push({
      code: 'CORE_IMAGE_FORMAT',
      message: `image "${label}" is ${what}; Kling takes JPEG or PNG only (convert it, e.g. ffmpeg -i in out.png)`,
    })
    return problems
  }
  const { width, height } = facts
  const type = facts.type === 'jpg' ? 'JPEG' : 'PNG'
  if (!isSide(width) || !isSide(height)) {
    problems.push({
      code: 'CORE_IMAGE_FORMAT',
      message: `image "${label}" is a ${type} whose header gives no usable size; the file is damaged, export it again`,
    })
    return problems
  }
  if (Math.max(width, height) > IMAGE_RULES.maxSide) {
    problems.push({
      code: 'CORE_IMAGE_DIMENSIONS',
      message: `image "${label}" is ${width}x${height}; storyreel takes at most ${IMAGE_RULES.maxSide} pixels on a side (Kling renders at most 1080p, so nothing is lost): scale it down, e.g. ffmpeg -i in.png -vf scale=1920:-2 out.png`,
    })
  }
  if (width < IMAGE_RULES.minSide || height < IMAGE_RULES.minSide) {
    problems.push({
      code: 'CORE_IMAGE_TOO_SMALL',
      message: `image "${label}" is ${width}x${height}; Kling needs at least 300x300 pixels`,
    })
  }
  const ratio = Math.max(width, height) / Math.max(1, Math.min(width, height))
  if (ratio > IMAGE_RULES.maxAspect) {
    const shape = width >= height ? `${ratio.toFixed(2)}:1` : `1:${ratio.toFixed(2)}`
    problems.push({
      code: 'CORE_IMAGE_ASPECT',
      message: `image "${label}" is ${width}x${height} (aspect ${shape}); Kling needs an aspect ratio between 1:2.5 and 2.5:1, crop it`,
    })
  }
  return problems
}
