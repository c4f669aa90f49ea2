import type { ImageRef, PlannedShot } from '@storyreel/core'
import { canonicalJson, sha256File, sha256Text } from './hash.ts'

/** Bump when the key's recipe changes, so old cache entries stop matching. */
const KEY_VERSION = 1

/** How an image enters the key: the bytes' hash for files, the address for URLs (their bytes are not fetched). */
export type ImageIdentity = { readonly sha256: string } | { readonly url: string }

export interface CacheKeyInput {
  readonly provider: string
  readonly shot: Pick<PlannedShot, 'model' | 'params'>
  /** For a chained shot, the sha256 of the upstream clip, so an upstream edit invalidates the chain. */
  readonly start?: ImageIdentity
  readonly end?: ImageIdentity
  /**
   * Which take (1-based). Take 1 leaves the key as it was before takes existed, so caches made
   * then stay valid; every other take has a key of its own.
   */
  readonly take?: number
}

/** sha256 over everything that decides what a clip looks like; equal keys mean interchangeable clips. */
export function cacheKey(input: CacheKeyInput): string {
  const p = input.shot.params
  return sha256Text(
    canonicalJson({
      v: KEY_VERSION,
      provider: input.provider,
      model: input.shot.model.id,
      params: {
        prompt: p.prompt,
        negative_prompt: p.negative_prompt,
        guidance_scale: p.guidance_scale,
        duration: p.duration,
        aspect_ratio: p.aspect_ratio,
      },
      start: input.start ?? null,
      end: input.end ?? null,
      // Undefined fields are dropped from the canonical JSON: take 1's key is unchanged.
      take: input.take !== undefined && input.take > 1 ? input.take : undefined,
    }),
  )
}

export interface ImageHasher {
  identity(image: ImageRef): Promise<ImageIdentity>
  /** sha256 of every image file hashed so far, by path: for the manifest, so nothing reads an image twice. */
  readonly hashes: ReadonlyMap<string, string>
}

/** Hashes image files once per run, keyed by path (storyboard images do not change mid-run). */
export function createImageHasher(): ImageHasher {
  const memo = new Map<string, Promise<string>>()
  const hashes = new Map<string, string>()
  return {
    hashes,
    identity(image) {
      if (image.kind === 'url') return Promise.resolve({ url: image.url })
      let hash = memo.get(image.path)
      if (!hash) {
        const path = image.path
        hash = sha256File(path).then((sha256) => {
          hashes.set(path, sha256)
          return sha256
        })
        memo.set(path, hash)
      }
      return hash.then((sha256) => ({ sha256 }))
    },
  }
}
