import { createHash } from 'node:crypto'
import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import {
  CAMERA_MOVES,
  type CameraMove,
  MEZZANINE,
  probeMedia,
  renderMotionClip,
  writeAtomically,
} from '@storyreel/assembler'
import type { ImageRef, Provider, ProviderCallOptions, RenderRequest, RenderResult } from '@storyreel/core'
import type { Dispatcher } from 'undici'
import { AnimaticError } from './errors.ts'
import { fetchImage, type FetchImageOptions } from './fetch-image.ts'

export interface AnimaticProviderOptions {
  /** Where requests and rendered clips are kept; renders are reused across runs. */
  readonly cacheDir: string
  /** Pixels on the clip's short side; default 360 (640x360 for 16:9). */
  readonly shortSide?: number
  /** x264 preset; default `ultrafast`. */
  readonly preset?: string
  /**
   * The reel's canvas, when the storyboard fixes it: a clip whose shape and rate match is written
   * as a mezzanine of that size (see the assembler's MEZZANINE), so the reel copies it as it is and
   * nothing is normalized after the render. Other clips are written as usual.
   */
  readonly canvas?: { readonly width: number; readonly height: number; readonly fps: number } | undefined
  /** How `image:` URLs are fetched: the deadline (default 60 s) and the undici dispatcher (default undici's global one). */
  readonly fetch?: { readonly timeoutMs?: number; readonly dispatcher?: Dispatcher }
}

/** Bumped when renders change look, so cached animatics from an older recipe are not reused. */
const RECIPE = 3

/** What `submit` stores so that `wait` can render it, even in a later process. */
interface StoredRequest {
  readonly shotId: string
  readonly take: number
  readonly duration: number
  readonly fps: number
  readonly prompt: string
  readonly aspectRatio?: string | undefined
  readonly start?: ImageRef | undefined
  readonly end?: ImageRef | undefined
}

/** The camera move of a take: take 1 drifts, take 2 pushes in, take 3 pans left, ...; past the last move they repeat. */
export function moveForTake(take: number): CameraMove {
  return CAMERA_MOVES[(Math.max(1, Math.trunc(take)) - 1) % CAMERA_MOVES.length]!
}

/**
 * A free, offline `Provider` that renders each shot locally as an animatic: a slow
 * camera move over its start image (crossfading to its end image), or a card with
 * its prompt, every frame labelled `ANIMATIC · <shot id>`, at the model's fps and
 * the shot's exact duration. Each take gets its own camera move (`moveForTake`),
 * so takes differ as the real model's do. The id is a hash of the request (take
 * included, images by content), so an unchanged take is never rendered twice.
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
        take: request.take ?? 1,
        duration: request.params.duration,
        fps: request.model.fps,
        prompt: request.params.prompt,
        aspectRatio: request.params.aspect_ratio,
        start: request.startImage,
        end: request.endImage,
      }
      const hash = createHash('sha256').update(
        JSON.stringify({
          ...stored,
          shortSide,
          preset: options.preset,
          recipe: RECIPE,
          canvas: options.canvas,
          // A clip written as a mezzanine is one only while the mezzanine's recipe is the same.
          mezzanine: options.canvas && MEZZANINE.recipe,
        }),
      )
      for (const image of [request.startImage, request.endImage])
        if (image?.kind === 'file') hash.update(await readImage(image.path))
      const id = `animatic-${hash.digest('hex').slice(0, 24)}`
      await mkdir(cacheDir, { recursive: true })
      await writeFile(requestFile(id), JSON.stringify(stored))
      return { id }
    },

    async wait(id: string, call: ProviderCallOptions = {}): Promise<RenderResult> {
      const stored = await readFile(requestFile(id), 'utf8').then(
        (text) => JSON.parse(text) as StoredRequest,
        (cause: unknown) => {
          throw new AnimaticError(
            'ANIMATIC_UNKNOWN_ID',
            `No animatic request ${id} in ${cacheDir}; submit the shot again.`,
            { cause, retryable: false },
          )
        },
      )
      const output = join(cacheDir, `${id}.mp4`)
      if (await exists(output)) return { output, inferenceMs: 0 }
      call.onPhase?.('processing')
      const began = performance.now()
      const fetching = { signal: call.signal, ...options.fetch }
      const [start, end] = await Promise.all([
        localImage(stored.start, cacheDir, fetching),
        localImage(stored.end, cacheDir, fetching),
      ])
      const { width, height } = await frameSize(stored, start, shortSide)
      const move = moveForTake(stored.take)
      await renderMotionClip({
        start,
        end: start ? end : undefined,
        move,
        prompt: stored.prompt,
        label:
          stored.take === 1
            ? `ANIMATIC · ${stored.shotId}`
            : `ANIMATIC · ${stored.shotId} · take ${stored.take} · ${move}`,
        // A card already shows its prompt; over an image, the prompt goes in a caption.
        caption: start ? stored.prompt : undefined,
        duration: stored.duration,
        fps: stored.fps,
        width,
        height,
        out: output,
        preset: options.preset,
        mezzanine: mezzanineSize(options.canvas, { width, height, fps: stored.fps }),
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

/** The canvas, when the clip has its shape (within a pixel of rounding) and rate: it is then written as a mezzanine of that size. */
function mezzanineSize(
  canvas: AnimaticProviderOptions['canvas'],
  clip: { width: number; height: number; fps: number },
): { width: number; height: number } | undefined {
  if (!canvas || canvas.fps !== clip.fps) return undefined
  const sameShape = Math.abs((clip.width / clip.height) * canvas.height - canvas.width) <= 2
  return sameShape ? { width: canvas.width, height: canvas.height } : undefined
}

/** Output size: the start image's aspect (as Kling keeps it), else the requested aspect ratio, with `shortSide` pixels on the short side. */
async function frameSize(
  stored: StoredRequest,
  start: string | undefined,
  shortSide: number,
): Promise<{ width: number; height: number }> {
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
    throw new AnimaticError('ANIMATIC_IMAGE', `Cannot read the image ${path}; check that the file exists.`, {
      cause,
      file: path,
      retryable: false,
    })
  })
}

/** A local path for an image: files as they are, URLs fetched once into the cache. */
async function localImage(
  image: ImageRef | undefined,
  cacheDir: string,
  fetching: FetchImageOptions,
): Promise<string | undefined> {
  if (!image) return undefined
  if (image.kind === 'file') return image.path
  // The extension tells ffmpeg the format; anything unusual is left to its probing.
  const ext = URL.canParse(image.url) ? extname(new URL(image.url).pathname) : ''
  const file = join(
    cacheDir,
    `image-${createHash('sha256').update(image.url).digest('hex').slice(0, 24)}${/^\.[a-z0-9]{1,5}$/i.test(ext) ? ext : '.img'}`,
  )
  if (!(await exists(file))) await fetchImage(image.url, file, fetching)
  return file
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  )
}
