import { join, relative, resolve, sep } from 'node:path'

/** A clip and the two frames kept beside it. */
export interface ClipPaths {
  readonly clip: string
  readonly first: string
  readonly last: string
}

/**
 * Where a run directory keeps everything: the one place that knows its layout. Paths are
 * absolute; `relative` gives the names the journal and the manifest write (forward slashes,
 * relative to the root, so a moved run directory still resumes).
 */
export interface RunLayout {
  readonly root: string
  readonly journal: string
  readonly lock: string
  readonly manifest: string
  readonly report: string
  readonly contactSheet: string
  /** Normalised clips the assembler keeps, so assembling again is fast. */
  readonly workDir: string
  /** Directories a run writes into, created before anything is paid. */
  readonly dirs: readonly string[]
  /** The reel, named by the storyboard's `output.file`. */
  reel(file: string): string
  /** The shot's clip in the reel and its frames: `shots/<id>.mp4`, `frames/<id>.first.png`, `frames/<id>.last.png`. */
  shot(id: string): ClipPaths
  /** One take of a shot: `takes/<id>/take-<n>.mp4`, `take-<n>.first.png`, `take-<n>.last.png`. `shot(id)` holds the picked one. */
  take(id: string, take: number): ClipPaths
  relative(path: string): string
  /** A name from the journal or the manifest as an absolute path. */
  resolve(name: string): string
}

export const JOURNAL_FILE = 'journal.ndjson'

export function runLayout(runDir: string): RunLayout {
  const root = resolve(runDir)
  const at = (name: string) => join(root, name)
  return {
    root,
    journal: at(JOURNAL_FILE),
    lock: at('run.lock'),
    manifest: at('manifest.json'),
    report: at('report.html'),
    contactSheet: at('contact-sheet.png'),
    workDir: at('.work'),
    dirs: [root, at('shots'), at('frames'), at('takes')],
    reel: (file) => at(file),
    shot: (id) => ({
      clip: at(`shots/${id}.mp4`),
      first: at(`frames/${id}.first.png`),
      last: at(`frames/${id}.last.png`),
    }),
    take: (id, take) => ({
      clip: at(`takes/${id}/take-${take}.mp4`),
      first: at(`takes/${id}/take-${take}.first.png`),
      last: at(`takes/${id}/take-${take}.last.png`),
    }),
    relative: (path) => relative(root, path).split(sep).join('/'),
    resolve: (name) => resolve(root, name),
  }
}
