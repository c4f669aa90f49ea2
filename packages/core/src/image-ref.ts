import { isAbsolute, resolve } from 'node:path'
import type { ImageRef } from './plan-types.ts'

/** Anything with a scheme (`https://`, `http://`, `s3://`) is a URL, not a path. */
export function looksLikeUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value)
}

/** An image as written in the storyboard: URLs as is, paths relative to the storyboard's folder. */
export function toImageRef(value: string, baseDir: string): ImageRef {
  if (looksLikeUrl(value)) return { kind: 'url', url: value }
  return { kind: 'file', path: isAbsolute(value) ? value : resolve(baseDir, value) }
}
