import { basename } from 'node:path'
import type {
  ImageRef,
  ModelSpec,
  Provider,
  ProviderCallOptions,
  RenderRequest,
  RenderResult,
} from '@storyreel/core'
import type { WaveSpeedClient } from './client.ts'
import { WaveSpeedError } from './errors.ts'
import { readUploadFile } from './internal/read-upload.ts'
import type { PollPlan, PollPolicy } from './polling.ts'
import { POLL_WEBHOOK_FALLBACK } from './polling.ts'
import { outputUrl } from './prediction-outcome.ts'
import type { RenderTimeModel } from './render-times.ts'
import type { PredictionStatus } from './types.ts'
import type { UploadCache } from './upload-cache.ts'
import { createUploadCache, sha256 } from './upload-cache.ts'
import type { WebhookInbox } from './webhook-inbox.ts'

export interface WavespeedProviderOptions {
  /** Where uploaded images' URLs are remembered. Default: in memory (pass a persistent one so `recover` can match file images after a restart). */
  readonly uploadCache?: UploadCache
  /** Passed as `?webhook=` on every submission. */
  readonly webhook?: string
  /**
   * Where deliveries to `webhook` arrive (see `startWebhookReceiver`): `wait` then finishes on the
   * delivery and polls only as a fallback (`POLL_WEBHOOK_FALLBACK`, unless `poll` is given).
   */
  readonly inbox?: WebhookInbox
  /**
   * Render times learned per model and duration (see `createRenderTimeModel`): `wait` polls around the
   * expected completion, and `poll` (default `POLL_BOUNDED`) only times models never seen.
   */
  readonly renderTimes?: RenderTimeModel
  /** Polling policy of `wait`. Default: the client's. */
  readonly poll?: PollPolicy
  /** Give up waiting after this long (the prediction keeps running). Default: never. */
  readonly waitTimeoutMs?: number
  /** Give up waiting after status reads failed for this long in a row (see `WaitOptions`). Default one hour. */
  readonly maxUnreadableMs?: number
  /** Largest clip `download` accepts. Default the client's `maxDownloadBytes` (500 MB). */
  readonly maxDownloadBytes?: number
  /** Longest one `download` may take. Default the client's `downloadTimeoutMs` (15 minutes). */
  readonly downloadTimeoutMs?: number
}

function refused(model: ModelSpec, message: string): WaveSpeedError {
  return new WaveSpeedError('WS_INVALID_PARAM', `${model.id}: ${message} Nothing was sent.`, {
    model: model.id,
    retryable: false,
  })
}

/**
 * The submit body for a render request: only fields `model.params` lists, the
 * duration as an integer, the start image as `image` and the end image under
 * `model.endFrameField`. WaveSpeed silently drops (and still bills) fields a model
 * does not take, so anything else is a programming error and throws before paying.
 */
export function buildInput(
  request: RenderRequest,
  images: { readonly start?: string; readonly end?: string },
): Record<string, unknown> {
  const { model } = request
  const input: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(request.params)) {
    if (value === undefined) continue
    const spec = model.params[key]
    if (!spec) continue
    if (spec.type === 'integer' && !Number.isInteger(value))
      throw refused(model, `\`${key}\` must be an integer; got ${JSON.stringify(value)}.`)
    if (key === 'duration' && !model.durations.includes(value as number))
      throw refused(model, `duration ${String(value)} is not one of ${model.durations.join(', ')} s.`)
    input[key] = value
  }
  if (images.start !== undefined) {
    if (!model.params.image) throw refused(model, 'this text-to-video model takes no start image.')
    input.image = images.start
  } else if (model.params.image?.required) {
    throw refused(model, 'this image-to-video model needs a start image.')
  }
  if (images.end !== undefined) {
    if (!model.endFrameField)
      throw refused(
        model,
        'this model takes no end frame; pick one with an end-frame field (see the model catalog).',
      )
    input[model.endFrameField] = images.end
  } else if (model.endFrameRequired) {
    throw refused(model, `this model needs an end frame (\`${model.endFrameField ?? 'end_image'}\`).`)
  }
  return input
}

const PHASE: Partial<Record<PredictionStatus, 'queued' | 'processing'>> = {
  created: 'queued',
  processing: 'processing',
}

/** What render times are learned by: the model, and the clip length, which the render time scales with. */
function renderTimeKey(request: RenderRequest): string {
  return `${request.model.id} ${String(request.params.duration ?? 'default')}s`
}

/**
 * The WaveSpeed `Provider`: uploads local images (cached by content), submits
 * with the never-pay-twice policy, waits with adaptive polling, downloads atomically.
 */
export function createWavespeedProvider(
  client: WaveSpeedClient,
  options: WavespeedProviderOptions = {},
): Provider {
  const cache = options.uploadCache ?? createUploadCache()
  const submitted = new Map<string, { readonly at: number; readonly key: string }>()

  /** Webhooks first; else learned render times for a prediction submitted here (one re-attached to has no known start). */
  async function pollFor(id: string): Promise<PollPolicy | PollPlan | undefined> {
    if (options.inbox) return options.poll ?? POLL_WEBHOOK_FALLBACK
    const known = submitted.get(id)
    if (options.renderTimes && known) return options.renderTimes.plan(known.key, options.poll)
    return options.poll
  }

  async function resolveImage(
    image: ImageRef | undefined,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    if (!image) return undefined
    if (image.kind === 'url') return image.url
    const data = await readUploadFile(image.path, client.limits.maxUploadBytes)
    return cache.getOrUpload(
      data,
      async () => (await client.upload({ data, filename: basename(image.path) }, { signal })).downloadUrl,
    )
  }

  /**
   * The URL an image had when submitted. For a file the upload cache may no longer
   * know it (another process, an in-memory cache): that field is then left out of
   * the comparison, and model, prompt and time still have to match.
   */
  async function submittedUrl(
    image: ImageRef | undefined,
    field: string,
    unknown: string[],
  ): Promise<string | undefined> {
    if (!image) return undefined
    if (image.kind === 'url') return image.url
    const cached = await cache.lookup(sha256(await readUploadFile(image.path, client.limits.maxUploadBytes)))
    if (cached === undefined) unknown.push(field)
    return cached ?? 'unknown'
  }

  return {
    name: 'wavespeed',
    paid: true,
    async submit(request: RenderRequest, call: ProviderCallOptions = {}) {
      const { signal } = call
      buildInput(request, { start: request.startImage && 'pending', end: request.endImage && 'pending' })
      if (request.startImage?.kind === 'file' || request.endImage?.kind === 'file')
        call.onPhase?.('uploading')
      const [start, end] = await Promise.all([
        resolveImage(request.startImage, signal),
        resolveImage(request.endImage, signal),
      ])
      const input = buildInput(request, { start, end })
      call.onPhase?.('submitting')
      const startedAt = Date.now()
      const prediction = await client.submit(
        { model: request.model.id, input },
        { signal, webhook: options.webhook, onRateLimit: call.onRateLimit },
      )
      submitted.set(prediction.id, { at: startedAt, key: renderTimeKey(request) })
      return { id: prediction.id }
    },
    async recover(request: RenderRequest, since: number, call: ProviderCallOptions = {}) {
      const ignoreFields: string[] = []
      const start = await submittedUrl(request.startImage, 'image', ignoreFields)
      const end = await submittedUrl(
        request.endImage,
        request.model.endFrameField ?? 'end_image',
        ignoreFields,
      )
      const input = buildInput(request, { start, end })
      const found = await client.findPrediction({ model: request.model.id, input }, since, {
        signal: call.signal,
        ignoreFields,
      })
      return found?.id
    },
    async wait(id: string, call: ProviderCallOptions = {}): Promise<RenderResult> {
      const prediction = await client.waitForResult(id, {
        signal: call.signal,
        poll: await pollFor(id),
        ...(options.inbox ? { inbox: options.inbox } : {}),
        timeoutMs: options.waitTimeoutMs,
        maxUnreadableMs: options.maxUnreadableMs,
        startedAt: submitted.get(id)?.at,
        onRateLimit: call.onRateLimit,
        onStatus: (status) => {
          const phase = PHASE[status]
          if (phase) call.onPhase?.(phase)
        },
      })
      const output = outputUrl(prediction)
      if (output === undefined)
        throw new WaveSpeedError(
          'WS_BAD_RESPONSE',
          `Prediction ${id} completed without an output URL; look at it on wavespeed.ai.`,
          { predictionId: id, retryable: true },
        )
      return { output, inferenceMs: prediction.timings?.inference ?? prediction.executionTime }
    },
    async download(result: RenderResult, dest: string, call: ProviderCallOptions = {}) {
      await client.download(result.output, dest, {
        signal: call.signal,
        maxBytes: options.maxDownloadBytes,
        timeoutMs: options.downloadTimeoutMs,
      })
    },
  }
}
