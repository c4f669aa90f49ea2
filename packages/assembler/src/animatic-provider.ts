import { createHash } from 'node:crypto'
import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import type { ImageRef, Provider, ProviderCallOptions, RenderRequest, RenderResult } from '@storyreel/core'
import { AssemblerError } from './errors.ts'
import { writeAtomically } from './internal/temp-file.ts'
import { renderMotionClip } from './motion-clip.ts'
import { probeMedia } from './probe.ts'

export interface AnimaticProviderOptions {
  /** Where requests and rendered clips are kept; renders are reused across runs. */
  readonly cacheDir: string
  /** Pixels on the clip's short side; default 360 (640x360 for 16:9). */
  readonly shortSide?: number
  /** x264 preset; default `ultrafast`. */
  readonly preset?: string
}

/** Bumped when renders change look, so cached animatics from an older recipe are not reused. */
const RECIPE = 2

/** What `submit` stores so that `wait` can render it, even in a later process. */
interface StoredRequest {
  readonly shotId: string
  readonly duration: number
  readonly fps: number
  readonly prompt: string
  readonly aspectRatio?: string | undefined
  readonly start?: ImageRef | undefined
  readonly end?: ImageRef | undefined
}

/**
 * A free, offline `Provider` that renders each shot locally as an animatic: a slow
 * camera move over its start image (crossfading to its end image), or a card with
 * its prompt, every frame labelled `ANIMATIC · <shot id>`, at the model's fps and
 * the shot's exact duration. The id is a hash of the request (images by content),
 * so an unchanged shot is never rendered twice.
 *
 * @example
 * const provider = createAnimaticProvider({ cacheDir: 'runs/.animatic' })
 * const { id } = await provider.submit(request)
 * await provider.download(await provider.wait(id), 'shots/a.mp4')
 */
export function createAnimaticProvider(options: AnimaticProviderOptions): Provider {
  const { cacheDir } = options
  const shortSide = 2 * Math.round((options.shortSide ?? 360) / 2)
  const requestFile = (id: string): string => join(cacheDir, `${id}.json`)

  return {
    name: 'animatic',
    paid: false,

    async submit(request: RenderRequest, call: ProviderCallOptions = {}): Promise<{ id: string }> {
      call.signal?.throwIfAborted()
      call.onPhase?.('submitting')
      const stored: StoredRequest = {
        shotId: request.shotId,
        duration: request.params.duration,
        fps: request.model.fps,
        prompt: request.params.prompt,
        aspectRatio: request.params.aspect_ratio,
        start: request.startImage,
        end: request.endImage,
      }
      const hash = createHash('sha256').update(JSON.stringify({ ...stored, shortSide, preset: options.preset, recipe: RECIPE }))
      for (const image of [request.startImage, request.endImage]) if (image?.kind === 'file') hash.update(await readImage(image.path))
      const id = `animatic-${hash.digest('hex').slice(0, 24)}`
      await mkdir(cacheDir, { recursive: true })
      await writeFile(requestFile(id), JSON.stringify(stored))
      return { id }
    },

    async wait(id: string, call: ProviderCallOptions = {}): Promise<RenderResult> {
      const stored = await readFile(requestFile(id), 'utf8').then(
        (text) => JSON.parse(text) as StoredRequest,
        (cause: unknown) => {
          throw new AssemblerError('ASM_ANIMATIC', `No animatic request ${id} in ${cacheDir}; submit the shot again.`, { cause, retryable: false })
        },
      )
      const output = join(cacheDir, `${id}.mp4`)
      if (await exists(output)) return { output, inferenceMs: 0 }
      call.onPhase?.('processing')
      const began = performance.now()
      const [start, end] = await Promise.all([localImage(stored.start, cacheDir, call.signal), localImage(stored.end, cacheDir, call.signal)])
      const { width, height } = await frameSize(stored, start, shortSide)
      await renderMotionClip({
        start,
        end: start ? end : undefined,
        prompt: stored.prompt,
        label: `ANIMATIC · ${stored.shotId}`,
        // A card already shows its prompt; over an image, the prompt goes in a caption.
        caption: start ? stored.prompt : undefined,
        duration: stored.duration,
        fps: stored.fps,
        width,
        height,
        out: output,
        preset: options.preset,
        signal: call.signal,
      })
      return { output, inferenceMs: Math.round(performance.now() - began) }
    },

    async download(result: RenderResult, dest: string, call: ProviderCallOptions = {}): Promise<void> {
      call.signal?.throwIfAborted()
      await writeAtomically(dest, (temp) => copyFile(result.output, temp))
    },
  }
}

/** Output size: the start image's aspect (as Kling keeps it), else the requested aspect ratio, with `shortSide` pixels on the short side. */
async function frameSize(stored: StoredRequest, start: string | undefined, shortSide: number): Promise<{ width: number; height: number }> {
  let aspect = 16 / 9
  if (start) {
    const video = (await probeMedia(start)).video
    if (video) aspect = video.displayWidth / video.displayHeight
  } else if (stored.aspectRatio) {
    const [w, h] = stored.aspectRatio.split(':').map(Number)
    if (w && h) aspect = w / h
  }
  const long = 2 * Math.round((shortSide * Math.max(aspect, 1 / aspect)) / 2)
  return aspect >= 1 ? { width: long, height: shortSide } : { width: shortSide, height: long }
}

async function readImage(path: string): Promise<Buffer> {
  return readFile(path).catch((cause: unknown) => {
    throw new AssemblerError('ASM_ANIMATIC', `Cannot read the image ${path}; check that the file exists.`, { cause, file: path, retryable: false })
  })
}

/** A local path for an image: files as they are, URLs fetched once into the cache. */
async function localImage(image: ImageRef | undefined, cacheDir: string, signal: AbortSignal | undefined): Promise<string | undefined> {
  if (!image) return undefined
  if (image.kind === 'file') return image.path
  const file = join(cacheDir, `image-${createHash('sha256').update(image.url).digest('hex').slice(0, 24)}${extname(new URL(image.url).pathname) || '.img'}`)
  if (await exists(file)) return file
  const response = await fetch(image.url, { signal: signal ?? null }).catch((cause: unknown) => {
    throw new AssemblerError('ASM_ANIMATIC', `Could not fetch ${image.url} for the animatic; use a local file or check the network.`, { cause, retryable: true })
  })
  if (!response.ok)
    throw new AssemblerError('ASM_ANIMATIC', `Fetching ${image.url} for the animatic answered HTTP ${response.status}.`, { retryable: response.status >= 500 })
  const bytes = Buffer.from(await response.arrayBuffer())
  await writeAtomically(file, (temp) => writeFile(temp, bytes))
  return file
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  )
}
