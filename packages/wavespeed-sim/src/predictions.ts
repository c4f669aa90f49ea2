import { randomBytes } from 'node:crypto'
import pLimit, { type LimitFunction } from 'p-limit'
import { clipSize } from './clip-graph.ts'
import { monotonicNow, sleepUntil } from './clock.ts'
import type { FaultInjector } from './faults.ts'
import { type CheckedImage, fetchInputImages, type ImageCheck } from './input-images.ts'
import { imageFields, type SimModel } from './models.ts'
import { jitteredLatency, TakeCounter } from './takes.ts'
import type { PredictionStatus, SubmittedImage } from './types.ts'
import { withDefaults } from './validate-input.ts'
import type { VideoRenderer } from './video-render.ts'

const TERMINAL: ReadonlySet<PredictionStatus> = new Set([
  'completed',
  'failed',
  'cancelled',
  'timeout',
  'deleted',
])
const REFUNDED: ReadonlySet<PredictionStatus> = new Set(['failed', 'cancelled', 'timeout'])
const ASPECTS: Readonly<Record<string, number>> = { '16:9': 16 / 9, '9:16': 9 / 16, '1:1': 1 }
const OVERRIDE_ERRORS: Readonly<Record<string, string>> = {
  cancelled: 'Task was cancelled.',
  timeout: 'Task timed out before the render finished.',
  deleted: 'Task was deleted.',
}

/** A prediction as the simulator keeps it. Times ending in `Mono` are `monotonicNow()` readings. */
export interface PredictionRecord {
  readonly id: string
  readonly model: SimModel
  /** Accepted params as sent (unknown keys stripped). */
  readonly input: Readonly<Record<string, unknown>>
  /** Epoch ms, for `created_at` and the history filters. */
  readonly createdAt: number
  readonly createdAtIso: string
  readonly createdMono: number
  readonly webhook: string | undefined
  readonly base64Output: boolean
  readonly costCents: number
  /** Which identical submission this is, from 0; decides how its clip varies. */
  readonly take: number
  /** Its render time, ms: the configured latency, jittered. */
  readonly latencyMs: number
  /** Filled as input images are fetched; shared with the submission record. */
  readonly images: SubmittedImage[]
  status: PredictionStatus
  error: string
  code: number | undefined
  startedMono: number | undefined
  finishedMono: number | undefined
  file: string | undefined
  /** Result requests (`GET /predictions/{id}[/result]`) received for it, faulted ones included. */
  resultRequests: number
  /** When a result request first answered its final status. */
  noticedMono: number | undefined
  /** GETs of its output URL. */
  downloads: number
  /** Resolves when the prediction reaches a terminal status. */
  readonly settled: Promise<void>
}

export interface EngineOptions {
  readonly concurrency: number
  readonly queueDelayMs: number
  readonly latency: (model: SimModel, duration: number) => number
  readonly latencyJitterMs: number
  /** False: every identical request is take 0 and gets the same clip. */
  readonly distinctTakes: boolean
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

/** Creates predictions and drives each one from `created` through `processing` to a terminal status. */
export class PredictionEngine {
  /** Predictions created and not yet finished. */
  outstanding = 0
  /** The most predictions ever outstanding at once. */
  maxOutstanding = 0
  readonly #options: EngineOptions
  readonly #limit: LimitFunction
  readonly #takes = new TakeCounter()
  readonly #records = new Map<string, PredictionRecord>()
  readonly #settlers = new Map<string, () => void>()

  constructor(options: EngineOptions) {
    this.#options = options
    this.#limit = pLimit(options.concurrency)
  }

  /** `identity` names the request (see `requestIdentity`): identical ones become successive takes. */
  create(
    model: SimModel,
    input: Record<string, unknown>,
    extra: { webhook?: string; base64Output: boolean; costCents: number; identity: string },
  ): PredictionRecord {
    const now = Date.now()
    const nth = this.#takes.next(extra.identity)
    const duration = Number(withDefaults(model, input).duration)
    let settle!: () => void
    const record: PredictionRecord = {
      id: randomBytes(16).toString('hex'),
      model,
      input,
      createdAt: now,
      createdAtIso: isoWithNanoseconds(now),
      createdMono: monotonicNow(),
      webhook: extra.webhook,
      base64Output: extra.base64Output,
      costCents: extra.costCents,
      take: this.#options.distinctTakes ? nth : 0,
      latencyMs: jitteredLatency(
        this.#options.latency(model, duration),
        this.#options.latencyJitterMs,
        extra.identity,
        nth,
      ),
      images: [],
      status: 'created',
      error: '',
      code: undefined,
      startedMono: undefined,
      finishedMono: undefined,
      file: undefined,
      resultRequests: 0,
      noticedMono: undefined,
      downloads: 0,
      settled: new Promise<void>((resolve) => (settle = resolve)),
    }
    this.#records.set(record.id, record)
    this.#settlers.set(record.id, settle)
    this.outstanding++
    this.maxOutstanding = Math.max(this.maxOutstanding, this.outstanding)
    // Images are fetched right away so a queued prediction can start rendering the moment it gets a slot.
    const images = fetchInputImages(
      imageFields(model).map((field) => [field, input[field]]),
      this.#options.acceptBase64Images,
      record.images,
    )
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
    record.finishedMono ??= monotonicNow()
    if (!wasTerminal) this.#settle(record)
  }

  #expire(record: PredictionRecord): void {
    if (
      record.status === 'completed' &&
      record.finishedMono !== undefined &&
      monotonicNow() - record.finishedMono >= this.#options.outputTtlMs
    ) {
      record.status = 'deleted'
      record.file = undefined
      record.error = 'Prediction expired: outputs are kept for a limited time and this one was deleted.'
    }
  }

  async #run(record: PredictionRecord, images: Promise<ImageCheck[]>): Promise<void> {
    const { signal } = this.#options
    try {
      await sleepUntil(record.createdMono + this.#options.queueDelayMs, signal)
      await this.#limit(() => this.#process(record, images))
    } catch (error) {
      if (signal.aborted) return
      this.#finish(record, 'failed', { code: 5000, error: `Internal error: ${(error as Error).message}` })
    }
  }

  async #process(record: PredictionRecord, imagesPromise: Promise<ImageCheck[]>): Promise<void> {
    if (record.status !== 'created') return
    record.status = 'processing'
    record.startedMono = monotonicNow()
    // The render runs during the modelled latency, so a prediction completes at max(latency, render time).
    const latency = sleepUntil(record.startedMono + record.latencyMs, this.#options.signal)
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
    const clip = failure || override ? undefined : this.#render(record, images as CheckedImage[])
    clip?.catch(() => {})
    await latency
    const file = await clip
    if (record.status !== 'processing') return
    if (failure) {
      this.#finish(record, 'failed', { code: failure.code, error: failure.error ?? 'Task failed.' })
    } else if (override) {
      this.#finish(record, override, {
        code: override === 'timeout' ? 5004 : undefined,
        error: OVERRIDE_ERRORS[override] ?? '',
      })
    } else {
      record.file = file
      this.#finish(record, 'completed', {})
    }
  }

  #render(record: PredictionRecord, [start, end]: CheckedImage[]): Promise<string> {
    const effective = withDefaults(record.model, record.input)
    const aspect = start ? start.width / start.height : (ASPECTS[String(effective.aspect_ratio)] ?? 16 / 9)
    const size = clipSize(record.model.output, aspect, this.#options.videoScale)
    return this.#options.renderer.render({
      ...size,
      fps: record.model.fps,
      duration: Number(effective.duration),
      start,
      end,
      prompt: String(effective.prompt ?? ''),
      take: record.take,
    })
  }

  #finish(
    record: PredictionRecord,
    status: PredictionStatus,
    outcome: { code?: number | undefined; error?: string },
  ): void {
    if (TERMINAL.has(record.status)) return
    record.status = status
    record.code = outcome.code
    record.error = outcome.error ?? ''
    record.finishedMono = monotonicNow()
    this.#settle(record)
  }

  #settle(record: PredictionRecord): void {
    this.outstanding--
    this.#options.onSettled(record)
    this.#settlers.get(record.id)?.()
    this.#settlers.delete(record.id)
  }
}

export function isRefunded(status: PredictionStatus): boolean {
  return REFUNDED.has(status)
}

export function isTerminal(status: PredictionStatus): boolean {
  return TERMINAL.has(status)
}
