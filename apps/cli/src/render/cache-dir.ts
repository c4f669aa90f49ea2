import { createHash } from 'node:crypto'
import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'

type Env = Readonly<Record<string, string | undefined>>

/** `$XDG_CACHE_HOME/storyreel`, else `~/.cache/storyreel`: one clip cache shared by every run on the machine, with where that came from. */
export function defaultCacheDir(env: Env): { readonly value: string; readonly source: string } {
  const xdg = env.XDG_CACHE_HOME?.trim()
  // The XDG spec says to ignore a relative XDG_CACHE_HOME.
  if (xdg && isAbsolute(xdg))
    return { value: join(xdg, 'storyreel'), source: 'default ($XDG_CACHE_HOME/storyreel)' }
  return {
    value: join(env.HOME?.trim() || homedir(), '.cache', 'storyreel'),
    source: 'default (~/.cache/storyreel)',
  }
}

/**
 * The clip cache from the environment alone: `STORYREEL_CACHE_DIR`, else the default. A render
 * also reads `cacheDir` from storyreel.config.yaml (see `resolveSettings`).
 */
export function cacheDirOf(env: Env, cwd: string): string {
  return resolve(cwd, env.STORYREEL_CACHE_DIR?.trim() || defaultCacheDir(env).value)
}

/**
 * Uploaded images' URLs, one file per API base URL: a URL handed out by one
 * service (or one simulator) means nothing to another.
 */
export function uploadCacheFile(cacheDir: string, baseUrl: string): string {
  return join(cacheDir, `uploads-${createHash('sha256').update(baseUrl).digest('hex').slice(0, 12)}.json`)
}
