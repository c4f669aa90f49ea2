import { join } from 'node:path'

/** Where a run directory keeps each shot's clip and frames. */
export const runPaths = {
  clip: (runDir: string, shot: string) => join(runDir, 'shots', `${shot}.mp4`),
  /** As recorded in the journal: relative, so a moved run directory still resumes. */
  clipRelative: (shot: string) => `shots/${shot}.mp4`,
  firstFrame: (runDir: string, shot: string) => join(runDir, 'frames', `${shot}.first.png`),
  lastFrame: (runDir: string, shot: string) => join(runDir, 'frames', `${shot}.last.png`),
}
