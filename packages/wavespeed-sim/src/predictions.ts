import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ModelSpec } from '@storyreel/core'
import pLimit, { type LimitFunction } from 'p-limit'
import type { FaultInjector } from './faults.ts'
import { checkInputImage, type CheckedImage, type ImageCheck } from './input-images.ts'
import type { PredictionStatus, PredictionView, SubmittedImage } from './types.ts'
import { withDefaults } from './validate-input.ts'
import { clipSize } from './clip-graph.ts'
import type { VideoRenderer } from './video-render.ts'

const TERMINAL: ReadonlySet<PredictionStatus> = new Set(['completed', 'failed', 'cancelled', 'timeout', 'deleted'])
const REFUNDED: ReadonlySet<PredictionStatus> = new Set(['failed', 'cancelled', 'timeout'])
const ASPECTS: Readonly<Record<string, number>> = { '16:9': 16 / 9, '9:16': 9 / 16, '1:1': 1 }
const OVERRIDE_ERRORS: Readonly<Record<string, string>> = {
  cancelled: 'Task was cancelled.',
  timeout: 'Task timed out before the render finished.',
  deleted: 'Task was deleted.',
}

/** A prediction as the simulator keeps it. */
export interface PredictionRecord {
  readonly id: string
  readonly model: ModelSpec
  /** Accepted params as sent (unknown keys stripped). */
  readonly input: Readonly<Record<string, unknown>>
  readonly createdAt: number
  readonly createdAtIso: string
  readonly webhook: string | undefined
  readonly base64Output: boolean
  readonly costCents: number
  /** Filled as input images are fetched; shared with the submission record. */
  readonly images: SubmittedImage[]
  status: PredictionStatus
  error: string
  code: number | undefined
  startedAt: number | undefined
  finishedAt: number | undefined
  file: string | undefined
  /** Resolves when the prediction reaches a terminal status. */
  readonly settled: Promise<void>
}

export interface EngineOptions {
  readonly concurrency: number
  readonly queueDelayMs: number
  readonly latency: (model: ModelSpec, duration: number) => number
  readonly videoScale: number
  readonly outputTtlMs: number
  readonly acceptBase64Images: boolean
  readonly renderer: VideoRenderer
  readonly faults: FaultInjector
  readonly signal: AbortSignal
  /** Called once when a prediction reaches a terminal status (refunds, webhooks). */
  readonly onSettled: (record: PredictionRecord) => void
}

function isoWithNanoseconds(ms: number): string {
  // The real API reports nanoseconds (e.g. 2025-09-25T09:12:48.239112031Z); pad ours the same way.
  const extra = (process.hrtime.bigint() % 1_000_000n).toString().padStart(6, '0')
  return new Date(ms).toISOString().replace('Z', `${extra}Z`)
}

function imageFields(model: ModelSpec): string[] {
  return ['image', ...(model.endFrameField ? [model.endFrameField] : [])]
}

/** Creates predictions and drives each one from `created` through `processing` to a terminal status. */
export class PredictionEngine {
  readonly #options: EngineOptions
  readonly #limit: LimitFunction
  readonly #records = new Map<string, PredictionRecord>()
  readonly #settlers = new Map<string, () => void>()

  constructor(options: EngineOptions) {
    this.#options = options
    this.#limit = pLimit(options.concurrency)
  }

  create(model: ModelSpec, input: Record<string, unknown>, extra: { webhook?: string; base64Output: boolean; costCents: number }): PredictionRecord {
    const now = Date.now()
    let settle!: () => void
    const record: PredictionRecord = {
      id: randomBytes(16).toString('hex'),
      model,
      input,
      createdAt: now,
      createdAtIso: isoWithNanoseconds(now),
      webhook: extra.webhook,
      base64Output: extra.base64Output,
      costCents: extra.costCents,
      images: [],
      status: 'created',
      error: '',
      code: undefined,
      startedAt: undefined,
      finishedAt: undefined,
      file: undefined,
      settled: new Promise<void>((resolve) => (settle = resolve)),
    }
    this.#records.set(record.id, record)
    this.#settlers.set(record.id, settle)
    // Images are fetched right away so a queued prediction can start rendering the moment it gets a slot.
    const images = this.#fetchImages(record)
    void this.#run(record, images)
    return record
  }

  get(id: string): PredictionRecord | undefined {
    const record = this.#records.get(id)
    if (record) this.#expire(record)
    return record
  }

  all(): PredictionRecord[] {
    return [...this.#records.values()].map((record) => (this.#expire(record), record))
  }

  /** Marks a prediction deleted: its output URL stops working. */
  delete(record: PredictionRecord): void {
    if (record.status === 'deleted') return
    const wasTerminal = TERMINAL.has(record.status)
    record.status = 'deleted'
    record.file = undefined
    record.finishedAt ??= Date.now()
    if (!wasTerminal) this.#settle(record)
  }

  /** The API's view of a prediction; `baseUrl` makes absolute URLs. */
  async view(record: PredictionRecord, baseUrl: string): Promise<PredictionView> {
    this.#expire(record)
    const completed = record.status === 'completed' && record.file !== undefined
    let outputs: string[] = []
    if (completed) {
      outputs = record.base64Output ? [(await readFile(record.file!)).toString('base64')] : [`${baseUrl}/outputs/${record.id}.mp4`]
    }
    const inference = record.startedAt !== undefined && record.finishedAt !== undefined ? record.finishedAt - record.startedAt : 0
    return {
      id: record.id,
      model: record.model.id,
      input: record.input,
      status: record.status,
      outputs,
      urls: { get: `${baseUrl}/api/v3/predictions/${record.id}/result` },
      has_nsfw_contents: outputs.map(() => false),
      created_at: record.createdAtIso,
      error: record.error,
      executionTime: record.finishedAt !== undefined ? record.finishedAt - record.createdAt : 0,
      timings: { inference },
      ...(record.code !== undefined ? { code: record.code } : {}),
    }
  }

  /** The output file of a completed, unexpired prediction. */
  outputFile(id: string): string | undefined {
    const record = this.get(id)
    return record?.status === 'completed' ? record.file : undefined
  }

  #expire(record: PredictionRecord): void {
    if (record.status === 'completed' && record.finishedAt !== undefined && Date.now() - record.finishedAt >= this.#options.outputTtlMs) {
      record.status = 'deleted'
      record.file = undefined
      record.error = 'Prediction expired: outputs are kept for a limited time and this one was deleted.'
    }
  }

  async #fetchImages(record: PredictionRecord): Promise<ImageCheck[]> {
    const checks: ImageCheck[] = []
    for (const field of imageFields(record.model)) {
      const ref = record.input[field]
      if (typeof ref !== 'string') continue
      const check = await checkInputImage(ref, { acceptBase64: this.#options.acceptBase64Images })
      record.images.push({
        field,
        ref: ref.length > 200 ? `${ref.slice(0, 64)}...(${ref.length} chars)` : ref,
        ...(check.sha256 !== undefined ? { sha256: check.sha256 } : {}),
        ...(check.ok ? {} : { code: check.code }),
      })
      checks.push(check)
      if (!check.ok) break
    }
    return checks
  }

  async #run(record: PredictionRecord, images: Promise<ImageCheck[]>): Promise<void> {
    const { signal } = this.#options
    try {
      if (this.#options.queueDelayMs > 0) await sleep(this.#options.queueDelayMs, undefined, { signal })
      await this.#limit(() => this.#process(record, images))
    } catch (error) {
      if (signal.aborted) return
      this.#finish(record, 'failed', { code: 5000, error: `Internal error: ${(error as Error).message}` })
    }
  }

  async #process(record: PredictionRecord, imagesPromise: Promise<ImageCheck[]>): Promise<void> {
    if (record.status !== 'created') return
    const { signal } = this.#options
    record.status = 'processing'
    record.startedAt = Date.now()
    const effective = withDefaults(record.model, record.input)
    const duration = Number(effective.duration)
    // The render runs during the modelled latency, so a prediction completes at max(latency, render time).
    const latency = sleep(this.#options.latency(record.model, duration), undefined, { signal })
    const images = await imagesPromise
    const refused = images.find((check) => !check.ok)
    if (refused !== undefined && !refused.ok) {
      latency.catch(() => {})
      this.#finish(record, 'failed', { code: refused.code, error: refused.error })
      return
    }
    // Injected outcomes are decided up front so a doomed prediction does not spend CPU on a clip.
    const input = { model: record.model.id, params: record.input }
    const failure = this.#options.faults.predictionFailure(input)
    const override = failure ? undefined : this.#options.faults.statusOverride(input)
    let clip: Promise<string> | undefined
    if (!failure && !override) {
      const [start, end] = images as CheckedImage[]
      const aspect = start ? start.width / start.height : (ASPECTS[String(effective.aspect_ratio)] ?? 16 / 9)
      const size = clipSize(record.model.outputHeight, aspect, this.#options.videoScale)
      clip = this.#options.renderer.render({ ...size, fps: record.model.fps, duration, start, end, prompt: String(effective.prompt ?? '') })
      clip.catch(() => {})
    }
    await latency
    const file = await clip
    if (record.status !== 'processing') return
    if (failure) {
      this.#finish(record, 'failed', { code: failure.code, error: failure.error ?? 'Task failed.' })
    } else if (override) {
      this.#finish(record, override, { code: override === 'timeout' ? 5004 : undefined, error: OVERRIDE_ERRORS[override] ?? '' })
    } else {
      record.file = file
      this.#finish(record, 'completed', {})
    }
  }

  #finish(record: PredictionRecord, status: PredictionStatus, outcome: { code?: number | undefined; error?: string }): void {
    if (TERMINAL.has(record.status)) return
    record.status = status
    record.code = outcome.code
    record.error = outcome.error ?? ''
    record.finishedAt = Date.now()
    this.#settle(record)
  }

  #settle(record: PredictionRecord): void {
    this.#options.onSettled(record)
    this.#settlers.get(record.id)?.()
    this.#settlers.delete(record.id)
  }
}

export function isRefunded(status: PredictionStatus): boolean {
  return REFUNDED.has(status)
}
