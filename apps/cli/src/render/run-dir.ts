import { join } from 'node:path'

/**
 * Where everything a run leaves behind lives, relative to the run directory.
 * One place, so `render`, `assemble`, `status` and the report agree on names.
 */
export interface RunDir {
  readonly root: string
  readonly manifest: string
  readonly contactSheet: string
  readonly report: string
  readonly shotsDir: string
  readonly framesDir: string
  /** The reel, named by the storyboard's `output.file` (default `reel.mp4`). */
  reel(file: string): string
  shot(id: string): string
  firstFrame(id: string): string
  lastFrame(id: string): string
}

const MANIFEST_FILE = 'manifest.json'
export const CONTACT_SHEET_FILE = 'contact-sheet.png'
const REPORT_FILE = 'report.html'

export function runDir(root: string): RunDir {
  return {
    root,
    manifest: join(root, MANIFEST_FILE),
    contactSheet: join(root, CONTACT_SHEET_FILE),
    report: join(root, REPORT_FILE),
    shotsDir: join(root, 'shots'),
    framesDir: join(root, 'frames'),
    reel: (file) => join(root, file),
    shot: (id) => join(root, relativeNames.shot(id)),
    firstFrame: (id) => join(root, relativeNames.firstFrame(id)),
    lastFrame: (id) => join(root, relativeNames.lastFrame(id)),
  }
}

/** Paths as written into the manifest and the report: relative, with forward slashes, so the run dir can move. */
export const relativeNames = {
  shot: (id: string) => `shots/${id}.mp4`,
  firstFrame: (id: string) => `frames/${id}.first.png`,
  lastFrame: (id: string) => `frames/${id}.last.png`,
}

/** `renders/<storyboard name>/`: the file name without its extension, relative to the current directory. */
export function defaultOutDir(storyboardFile: string, cwd: string): string {
  const base = storyboardFile.split(/[\\/]/).pop() ?? 'storyboard'
  const name = base.replace(/\.(ya?ml)$/i, '') || 'storyboard'
  return join(cwd, 'renders', name)
}
