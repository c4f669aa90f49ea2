import { relative } from 'node:path'
import type { ImageRef, StartSource } from '@storyreel/core'
import { sha256File } from './hash-file.ts'
import { relativeNames } from './run-dir.ts'

/** How the manifest names an image the API was given: never its bytes, only where it came from and its hash. */
export type ImageDescription =
  | { readonly kind: 'file'; readonly path: string; readonly sha256?: string }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'last-frame'; readonly shot: string; readonly path: string; readonly sha256?: string }
  | { readonly kind: 'end-image'; readonly shot: string; readonly path?: string; readonly url?: string; readonly sha256?: string }

/**
 * `storyboardDir` makes file paths relative to the storyboard, `runRoot` finds
 * the last frames; hashes are of the bytes that were (or will be) uploaded.
 */
export async function describeImage(source: StartSource | ImageRef, storyboardDir: string, runRoot: string): Promise<ImageDescription | undefined> {
  switch (source.kind) {
    case 'none':
      return undefined
    case 'url':
      return { kind: 'url', url: source.url }
    case 'file':
      return { kind: 'file', path: relative(storyboardDir, source.path), sha256: await hashFile(source.path) }
    case 'last-frame': {
      const path = relativeNames.lastFrame(source.shot)
      return { kind: 'last-frame', shot: source.shot, path, sha256: await hashFile(`${runRoot}/${path}`) }
    }
    case 'end-image': {
      const image = await describeImage(source.image, storyboardDir, runRoot)
      return { kind: 'end-image', shot: source.shot, ...(image?.kind === 'file' ? { path: image.path, sha256: image.sha256 } : image?.kind === 'url' ? { url: image.url } : {}) }
    }
  }
}

async function hashFile(path: string): Promise<string | undefined> {
  try {
    return await sha256File(path)
  } catch {
    // Not there (yet): a shot that never rendered has no last frame to hash.
    return undefined
  }
}
