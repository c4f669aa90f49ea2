import { relative } from 'node:path'
import type { ImageRef, StartSource } from '@storyreel/core'
import type { RunLayout } from '@storyreel/scheduler'

/** How the manifest names an image the API was given: never its bytes, only where it came from and its hash. */
export type ImageDescription =
  | { readonly kind: 'file'; readonly path: string; readonly sha256?: string }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'last-frame'; readonly shot: string; readonly path: string; readonly sha256?: string }
  | {
      readonly kind: 'end-image'
      readonly shot: string
      readonly path?: string
      readonly url?: string
      readonly sha256?: string
    }

export interface ImageFacts {
  /** Makes storyboard image paths relative to the storyboard. */
  readonly storyboardDir: string
  /** Finds the last frames a chained shot starts from. */
  readonly layout: RunLayout
  /** sha256 by absolute path, as the scheduler read them (`RunResult.images`); an image it never read has none. */
  readonly images: ReadonlyMap<string, string>
}

/** The image as the manifest describes it; hashes are of the bytes that were (or would be) uploaded. */
export function describeImage(
  source: StartSource | ImageRef,
  facts: ImageFacts,
): ImageDescription | undefined {
  const sha256 = (path: string) => {
    const hash = facts.images.get(path)
    return hash ? { sha256: hash } : {}
  }
  switch (source.kind) {
    case 'none':
      return undefined
    case 'url':
      return { kind: 'url', url: source.url }
    case 'file':
      return { kind: 'file', path: relative(facts.storyboardDir, source.path), ...sha256(source.path) }
    case 'last-frame': {
      const frame = facts.layout.shot(source.shot).last
      return { kind: 'last-frame', shot: source.shot, path: facts.layout.relative(frame), ...sha256(frame) }
    }
    case 'end-image': {
      const image = describeImage(source.image, facts)
      return {
        kind: 'end-image',
        shot: source.shot,
        ...(image?.kind === 'file'
          ? { path: image.path, sha256: image.sha256 }
          : image?.kind === 'url'
            ? { url: image.url }
            : {}),
      }
    }
  }
}
