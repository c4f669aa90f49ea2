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
 * A cache file of facts that hold for one API only (`uploads-…json`: uploaded images' URLs;
 * `render-times-…json`: how long its models take), one per base URL: what one service (or one
 * simulator) said means nothing to another.
 */
export function perBaseUrlFile(cacheDir: string, kind: 'uploads' | 'render-times', baseUrl: string): string {
  return join(cacheDir, `${kind}-${createHash('sha256').update(baseUrl).digest('hex').slice(0, 12)}.json`)
}
