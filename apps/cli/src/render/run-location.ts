import { isAbsolute, join, relative } from 'node:path'

/**
 * `renders/<storyboard name>/`: the file name without its extension, under `parent` (the `outDir`
 * setting, default `renders/` in the current directory). Always a folder of its own under it,
 * whatever the name (`...yaml` is not `renders/..`).
 */
export function defaultOutDir(
  storyboardFile: string,
  cwd: string,
  parent: string = join(cwd, 'renders'),
): string {
  const base = storyboardFile.split(/[\\/]/).pop() ?? ''
  const name = base.replace(/\.(ya?ml)$/i, '')
  return join(parent, name === '' || /^\.+$/.test(name) ? 'storyboard' : name)
}

/** Relative to the current directory when inside it, else absolute: `renders/x/reel.mp4`, not `../../tmp/x/reel.mp4`. */
export function shortPath(cwd: string, path: string): string {
  const rel = relative(cwd, path)
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel
}
