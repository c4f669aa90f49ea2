import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { SAMPLE_RATE } from './canvas.ts'
import { runFfmpeg } from './ffmpeg.ts'
import { writeAtomically } from './internal/temp-file.ts'
import { AUDIO_OUT } from './reel-audio.ts'

/** Silence is made in whole minutes, so reels of nearby lengths share one file. */
const MINUTE = 60

/**
 * An AAC track of silence at least `seconds` long, encoded once and kept in
 * `workDir`: a reel whose clips are all silent copies it (cut to the video's length)
 * instead of encoding its silence every time, which cost about a third of a join.
 */
export async function silentTrack(workDir: string, seconds: number, signal?: AbortSignal): Promise<string> {
  const minutes = Math.max(1, Math.ceil((seconds + 1) / MINUTE))
  const file = join(workDir, `silence-${minutes}m.m4a`)
  if (
    await stat(file).then(
      () => true,
      () => false,
    )
  )
    return file
  await writeAtomically(file, (temp) =>
    runFfmpeg(
      [
        '-y',
        '-f',
        'lavfi',
        '-i',
        `anullsrc=r=${SAMPLE_RATE}:cl=stereo`,
        '-t',
        String(minutes * MINUTE),
        ...AUDIO_OUT,
        '-f',
        'mp4',
        temp,
      ],
      { signal },
    ),
  )
  return file
}
