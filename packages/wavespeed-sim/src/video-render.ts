import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import {
  type ClipFiles,
  clipGraph,
  type ClipSpec,
  frameCount,
  promptFontSize,
  wrapPrompt,
} from './clip-graph.ts'
import { runFfmpeg } from './ffmpeg.ts'
import { findFont } from './find-font.ts'

/** Bump when the picture a spec produces changes, so stale cache entries are not reused. */
const RENDER_VERSION = 'v2'
/**
 * Clips rendered by one ffmpeg process. Starting ffmpeg costs about as much CPU
 * as rendering a small clip, so under load queued clips share a process.
 */
const MAX_BATCH = 8

interface Job {
  readonly spec: ClipSpec
  readonly file: string
  readonly resolve: (file: string) => void
  readonly reject: (error: unknown) => void
}

/** Produces real H.264 clips for predictions, cached on disk by everything that determines their pixels. */
export class VideoRenderer {
  /** Clips actually rendered (cache misses). */
  renders = 0
  /** ffmpeg processes run. */
  processes = 0
  readonly #cacheDir: string
  readonly #maxProcesses: number
  readonly #inFlight = new Map<string, Promise<string>>()
  readonly #queue: Job[] = []
  #running = 0
  readonly #font: Promise<string | undefined>
  readonly #signal: AbortSignal | undefined
  readonly #ffmpeg: string

  /** `signal` stops every render (the simulator closing); renders are shared between predictions, so none has its own. */
  constructor(options: {
    cacheDir: string
    ffmpeg: string
    concurrency?: number | undefined
    signal?: AbortSignal
  }) {
    this.#cacheDir = options.cacheDir
    this.#ffmpeg = options.ffmpeg
    this.#signal = options.signal
    this.#maxProcesses = options.concurrency ?? availableParallelism()
    this.#font = findFont()
    this.#signal?.addEventListener(
      'abort',
      () => {
        for (const job of this.#queue.splice(0)) job.reject(this.#signal!.reason)
      },
      { once: true },
    )
  }

  /** Returns the path of the clip for `spec`, rendering it unless an identical one exists. */
  async render(spec: ClipSpec): Promise<string> {
    const font = await this.#font
    const key = createHash('sha256')
      // Take 0 keeps the key it had before takes existed, so caches filled then stay valid.
      .update(
        JSON.stringify([
          RENDER_VERSION,
          spec.width,
          spec.height,
          spec.fps,
          spec.duration,
          spec.start?.sha256,
          spec.end?.sha256,
          spec.prompt,
          font ?? '',
          ...(spec.take > 0 ? [spec.take] : []),
        ]),
      )
      .digest('hex')
    const file = join(this.#cacheDir, `${key}.mp4`)
    let pending = this.#inFlight.get(key)
    if (!pending) {
      pending = existsSync(file)
        ? Promise.resolve(file)
        : new Promise<string>((resolve, reject) => {
            this.#queue.push({ spec, file, resolve, reject })
            this.#pump()
          })
      pending = pending.finally(() => this.#inFlight.delete(key))
      this.#inFlight.set(key, pending)
    }
    return pending
  }

  #pump(): void {
    while (this.#running < this.#maxProcesses && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH)
      this.#running++
      void this.#runBatch(batch).finally(() => {
        this.#running--
        this.#pump()
      })
    }
  }

  async #runBatch(batch: readonly Job[]): Promise<void> {
    try {
      await this.#renderBatch(batch)
    } catch (error) {
      // One bad input must not fail the clips it happened to share a process with.
      if (batch.length > 1 && !this.#signal?.aborted) {
        for (const job of batch) await this.#runBatch([job])
      } else {
        for (const job of batch) job.reject(error)
      }
    }
  }

  async #renderBatch(batch: readonly Job[]): Promise<void> {
    await mkdir(this.#cacheDir, { recursive: true })
    const scratch = join(this.#cacheDir, `tmp-${randomBytes(6).toString('hex')}`)
    await mkdir(scratch)
    try {
      const inputs: string[] = []
      const graphs: string[] = []
      const outputs: string[] = []
      let inputCount = 0
      for (const [index, job] of batch.entries()) {
        const files = await this.#writeFiles(job.spec, scratch, index)
        const { inputs: clipInputs, graph } = clipGraph(job.spec, files, inputCount, `v${index}`)
        inputs.push(...clipInputs)
        inputCount += clipInputs.filter((arg) => arg === '-i').length
        graphs.push(graph)
        outputs.push(
          '-map',
          `[v${index}]`,
          '-frames:v',
          String(frameCount(job.spec)),
          '-r',
          String(job.spec.fps),
          '-c:v',
          'libx264',
          '-preset',
          'ultrafast',
          '-pix_fmt',
          'yuv420p',
          '-movflags',
          '+faststart',
          join(scratch, `clip-${index}.mp4`),
        )
      }
      this.processes++
      await runFfmpeg(
        this.#ffmpeg,
        ['-y', ...inputs, '-filter_complex', graphs.join(';'), ...outputs],
        this.#signal,
      )
      for (const [index, job] of batch.entries()) {
        await rename(join(scratch, `clip-${index}.mp4`), job.file)
        this.renders++
        job.resolve(job.file)
      }
    } finally {
      await rm(scratch, { recursive: true, force: true })
    }
  }

  async #writeFiles(spec: ClipSpec, scratch: string, index: number): Promise<ClipFiles> {
    const path = (name: string) => join(scratch, `${index}-${name}`)
    if (spec.start) {
      await writeFile(path('start.img'), spec.start.bytes)
      if (spec.end) await writeFile(path('end.img'), spec.end.bytes)
      return { start: path('start.img'), ...(spec.end ? { end: path('end.img') } : {}) }
    }
    const font = await this.#font
    if (!font) return {}
    const perLine = Math.max(10, Math.floor((spec.width - 16) / (promptFontSize(spec) * 0.6)))
    await writeFile(path('prompt.txt'), wrapPrompt(spec.prompt, perLine, 6))
    return { text: path('prompt.txt'), font }
  }
}
