import type { Fit } from '@storyreel/core'
import type { Canvas } from './canvas.ts'
import type { FfmpegPriority } from './ffmpeg.ts'
import { JobMap } from './internal/job-map.ts'
import { type Mezzanine, normalizeClip } from './normalize.ts'
import type { Soundtrack } from './reel-audio.ts'
import type { PieceSpec } from './reel-parts.ts'
import { type Piece, pieceFile, renderPiece } from './render-piece.ts'
import { type LoudnessMeasurement, measureSoundtrack, type SoundtrackSpec } from './soundtrack.ts'
import { encodedSoundtrack } from './soundtrack-track.ts'

/** How one asker wants a job: `priority` applies only when this asker is the one that starts it. */
export interface JobRequest {
  readonly signal: AbortSignal
  readonly onProgress?: ((fraction: number) => void) | undefined
  readonly priority?: FfmpegPriority | undefined
}

/**
 * The ffmpeg work of one reel, shared by its background and its `finish`: each
 * mezzanine and piece is made once (a second asker waits for the first), and one
 * finished before it was asked for is reported as `cached`.
 */
export class ReelJobs {
  readonly #mezzanines = new JobMap<Mezzanine>()
  readonly #pieces = new JobMap<Piece>()
  readonly #loudness = new JobMap<LoudnessMeasurement | undefined>()
  readonly #tracks = new JobMap<string>()
  /** Mezzanines by key: pieces are timed in their mezzanines' units. */
  readonly #byKey = new Map<string, Mezzanine>()
  readonly #settings: {
    readonly workDir: string
    readonly fit: Fit
    readonly ffmpegVersion: () => Promise<string>
  }

  constructor(settings: {
    readonly workDir: string
    readonly fit: Fit
    readonly ffmpegVersion: () => Promise<string>
  }) {
    this.#settings = settings
  }

  async mezzanine(clip: string, canvas: Canvas, request: JobRequest): Promise<Mezzanine> {
    const { signal, onProgress, priority } = request
    const ffmpegVersion = await this.#settings.ffmpegVersion()
    const key = JSON.stringify([clip, canvas])
    const madeBefore = this.#mezzanines.finished(key) !== undefined
    const made = await this.#mezzanines.run(
      key,
      async (report) => {
        const result = await normalizeClip({
          clip,
          canvas,
          fit: this.#settings.fit,
          workDir: this.#settings.workDir,
          ffmpegVersion,
          signal,
          onProgress: report,
          priority,
        })
        this.#byKey.set(result.key, result)
        return result
      },
      { signal, onProgress },
    )
    return madeBefore ? { ...made, cached: true } : made
  }

  /** The mezzanine of `clip` on `canvas` if it has been made. */
  finishedMezzanine(clip: string, canvas: Canvas): Mezzanine | undefined {
    return this.#mezzanines.finished(JSON.stringify([clip, canvas]))
  }

  async piece(spec: PieceSpec, canvas: Canvas, request: JobRequest): Promise<Piece> {
    const { signal, onProgress, priority } = request
    const settings = {
      spec,
      canvas,
      timescale: this.#byKey.get(spec.incoming.key)!.header.timescale,
      workDir: this.#settings.workDir,
      ffmpegVersion: await this.#settings.ffmpegVersion(),
    }
    const key = pieceFile(settings)
    const madeBefore = this.#pieces.finished(key) !== undefined
    const made = await this.#pieces.run(
      key,
      (report) => renderPiece({ ...settings, signal, onProgress: report, priority }),
      { signal, onProgress },
    )
    return madeBefore ? { ...made, cached: true } : made
  }

  /**
   * The soundtrack under a reel of `samples`: measured (first loudnorm pass) and, with
   * `encode` (every clip silent), finished as the reel's AAC track. Both are cached in
   * `workDir`, so each is made once per reel length.
   */
  async soundtrack(
    spec: SoundtrackSpec,
    samples: number,
    encode: boolean,
    signal: AbortSignal,
  ): Promise<Soundtrack> {
    const key = JSON.stringify([spec, samples])
    const { workDir } = this.#settings
    const measured = await this.#loudness.run(
      key,
      () => measureSoundtrack(spec, samples, { signal, cacheDir: workDir }),
      { signal },
    )
    if (!encode) return { spec, measured }
    const encoded = await this.#tracks.run(
      key,
      () => encodedSoundtrack(spec, samples, measured, { workDir, signal }),
      { signal },
    )
    return { spec, measured, encoded }
  }

  /** Settles when every job started so far has. */
  async settled(): Promise<void> {
    await Promise.all([
      this.#mezzanines.settled(),
      this.#pieces.settled(),
      this.#loudness.settled(),
      this.#tracks.settled(),
    ])
  }
}
