import { mkdir } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'
import { linkOrCopy, type RunLayout, runLayout } from '@storyreel/scheduler'

/**
 * Where clips and frames live so every worker can read them. Redis holds only names relative
 * to the store's root, so machines may mount it at different paths. Today's one implementation
 * is a shared file system (NFS, a bind mount); an S3-compatible store would implement the same
 * calls by fetching into and uploading from a local working copy.
 */
export interface Store {
  /** For messages: `/mnt/storyreel`. */
  readonly description: string
  /** Creates the store's directories; throws when it cannot be written. */
  prepare(): Promise<void>
  /** A run's directory (clips, frames, reel, manifest) as local paths. */
  runLayout(runId: string): RunLayout
  /** Where the clip cached under `key` lives locally. */
  clipPath(key: string): string
  /** Puts a clip in the cache under `key` (linked when it can be, never modified in place). */
  putClip(key: string, file: string): Promise<string>
  /** A local path as the name Redis keeps (relative to the store), or undefined when outside it. */
  nameOf(path: string): string | undefined
  /** A name Redis keeps as a local path. */
  pathOf(name: string): string
}

/** The shared-file-system store: `<dir>/runs/<run id>/...` and `<dir>/clips/<key>.mp4`. */
export function openFsStore(dir: string): Store {
  const root = resolve(dir)
  const clipPath = (key: string) => join(root, 'clips', `${key}.mp4`)
  return {
    description: root,
    prepare: async () => {
      await mkdir(join(root, 'clips'), { recursive: true })
      await mkdir(join(root, 'runs'), { recursive: true })
    },
    runLayout: (runId) => runLayout(join(root, 'runs', runId)),
    clipPath,
    async putClip(key, file) {
      await linkOrCopy(file, clipPath(key))
      return clipPath(key)
    },
    nameOf(path) {
      const name = relative(root, resolve(path))
      return name.startsWith('..') || name === '' ? undefined : name.split(sep).join('/')
    },
    pathOf: (name) => resolve(root, name),
  }
}
