import { createHash } from 'node:crypto'
import { join, resolve } from 'node:path'

/** The clip cache shared by runs: `STORYREEL_CACHE_DIR`, else `.storyreel-cache/` in the current directory. */
export function cacheDirOf(env: NodeJS.ProcessEnv, cwd: string): string {
  return resolve(cwd, env.STORYREEL_CACHE_DIR?.trim() || '.storyreel-cache')
}

/**
 * Uploaded images' URLs, one file per API base URL: a URL handed out by one
 * service (or one simulator) means nothing to another.
 */
export function uploadCacheFile(cacheDir: string, baseUrl: string): string {
  return join(cacheDir, `uploads-${createHash('sha256').update(baseUrl).digest('hex').slice(0, 12)}.json`)
}
