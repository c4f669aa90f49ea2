import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { runFfmpeg } from './ffmpeg.ts'
import { writeAtomically } from './internal/temp-file.ts'
import { AUDIO_OUT } from './reel-audio.ts'
import {
  type LoudnessMeasurement,
  soundtrackChain,
  soundtrackInput,
  soundtrackKey,
  type SoundtrackSpec,
} from './soundtrack.ts'

/** Bump when the encoding below changes, so tracks made before are made again. */
const RECIPE = 1

/**
 * The soundtrack alone as a reel's finished audio track: shaped to `samples`,
 * normalized with the first pass's `measured` values (the second loudnorm pass),
 * AAC-encoded, and kept in `workDir` under the soundtrack's key. When every clip
 * of a reel is silent this is exactly the reel's audio, so it is made once per
 * reel length (in the background, as soon as the length is known) and every join
 * copies it instead of filtering and encoding the soundtrack again.
 */
export async function encodedSoundtrack(
  spec: SoundtrackSpec,
  samples: number,
  measured: LoudnessMeasurement | undefined,
  options: { workDir: string; signal?: AbortSignal | undefined },
): Promise<string> {
  const key = await soundtrackKey(spec, samples)
  const file = join(options.workDir, `soundtrack-${key}-${RECIPE}.m4a`)
  const found = await stat(file).then(
    () => true,
    () => false,
  )
  if (found) return file
  await writeAtomically(file, (temp) =>
    runFfmpeg(
      [
        '-y',
        ...soundtrackInput(spec),
        '-filter_complex',
        soundtrackChain('0:a:0', 'bed', spec, samples, measured),
        '-map',
        '[bed]',
        ...AUDIO_OUT,
        '-f',
        'mp4',
        temp,
      ],
      { signal: options.signal },
    ),
  )
  return file
}
