import { createHash } from 'node:crypto'
import { join, resolve } from 'node:path'

/** The clip cache shared by runs: `STORYREEL_CACHE_DIR`, else `.storyreel-cache/` in the current directory. */
export function cacheDirOf(env: NodeJS.ProcessEnv, cwd: string): string {
  return resolve(cwd, env.STORYREEL_CACHE_DIR?.trim() || '.storyreel-cache')
}

/**
 * A cache file of facts that hold for one API only (`uploads-…json`: uploaded images' URLs;
 * `render-times-…json`: how long its models take), one per base URL: what one service (or one
 * simulator) said means nothing to another.
 */
export function perBaseUrlFile(cacheDir: string, kind: 'uploads' | 'render-times', baseUrl: string): string {
  return join(cacheDir, `${kind}-${createHash('sha256').update(baseUrl).digest('hex').slice(0, 12)}.json`)
}
