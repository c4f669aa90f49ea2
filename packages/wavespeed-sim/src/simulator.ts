import { randomBytes, randomUUID } from 'node:crypto'
import { setMaxListeners } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { findModel, priceOf } from '@storyreel/core'
import { SimError } from './errors.ts'
import { FaultInjector, type Faults, type RouteName } from './faults.ts'
import { selectHistory } from './history.ts'
import { HttpProblem, readBody, readJsonObject, sendEnvelope, sendGatewayPage, sendJson } from './http-io.ts'
import { liveModels, quotePrice } from './live-models.ts'
import { isRefunded, PredictionEngine, type PredictionRecord } from './predictions.ts'
import { classifyRoute } from './route-table.ts'
import { serveFile } from './serve-file.ts'
import type { PredictionView, SimulatorOptions, SimulatorStats, SubmissionRecord } from './types.ts'
import { MAX_UPLOAD_BYTES, UploadStore } from './uploads.ts'
import { validateInput, withDefaults } from './validate-input.ts'
import { VideoRenderer } from './video-render.ts'
import { createWebhookSecret, deliverWebhook, type WebhookDelivery } from './webhooks.ts'

const WEEK_MS = 7 * 24 * 60 * 60 * 1000
const MINUTE_MS = 60_000
const BASE64_WEBHOOK_ERROR = 'webhook callback does not support base64 output, please use the normal API to use base64 output'

/** A running simulator. */
export interface Simulator {
  /** Base URL, `http://127.0.0.1:PORT`: use it as WAVESPEED_BASE_URL. */
  readonly url: string
  readonly apiKey: string
  /** Counters: predictions created, money, requests per route, 429s, faults. */
  stats(): SimulatorStats
  /** Every submit request received, in order. */
  submissions(): readonly SubmissionRecord[]
  /** Every prediction created, as the API would show it. */
  predictions(): Promise<PredictionView[]>
  /** Replaces the fault configuration (and restarts its random streams from the seed). */
  setFaults(faults: Faults): void
  close(): Promise<void>
}

class SimulatorServer implements Simulator {
  url = ''
  readonly apiKey: string
  readonly #options: SimulatorOptions
  readonly #server: Server
  readonly #closing = new AbortController()
  readonly #faults: FaultInjector
  readonly #renderer: VideoRenderer
  readonly #engine: PredictionEngine
  readonly #uploads: UploadStore
  readonly #webhookSecret: string
  readonly #submissions: SubmissionRecord[] = []
  readonly #webhooks: WebhookDelivery[] = []
  readonly #requests: Partial<Record<RouteName, number>> = {}
  readonly #created: Record<string, number> = {}
  readonly #recentCreations: number[] = []
  #balanceCents: number
  #chargedCents = 0
  #refundedCents = 0
  #rateLimited = 0

  constructor(options: SimulatorOptions) {
    this.#options = options
    // Every waiting prediction, sync request and webhook listens on this one signal.
    setMaxListeners(0, this.#closing.signal)
    this.apiKey = options.apiKey ?? `sim-key-${randomBytes(12).toString('hex')}`
    this.#balanceCents = Math.round((options.balance ?? 100) * 100)
    this.#webhookSecret = options.webhookSecret ?? createWebhookSecret()
    this.#faults = new FaultInjector(options.faults)
    this.#uploads = new UploadStore(options.uploadTtlMs ?? WEEK_MS)
    this.#renderer = new VideoRenderer({
      cacheDir: options.cacheDir ?? join(tmpdir(), 'storyreel-wavespeed-sim-cache'),
      concurrency: options.renderConcurrency,
      signal: this.#closing.signal,
    })
    const latencyMs = options.latencyMs ?? 1000
    this.#engine = new PredictionEngine({
      concurrency: options.concurrency ?? 2,
      queueDelayMs: options.queueDelayMs ?? 0,
      latency: options.latency ?? (() => latencyMs),
      videoScale: options.videoScale ?? 0.25,
      outputTtlMs: options.outputTtlMs ?? WEEK_MS,
      acceptBase64Images: options.acceptBase64Images ?? false,
      renderer: this.#renderer,
      faults: this.#faults,
      signal: this.#closing.signal,
      onSettled: (record) => this.#onSettled(record),
    })
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => this.#fail(res, error))
    })
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', (cause) => reject(new SimError('SIM_LISTEN_FAILED', `Cannot listen on 127.0.0.1:${port}: ${cause.message}. Pick another port or use 0.`, { cause })))
      this.#server.listen(port, '127.0.0.1', resolve)
    })
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
  }

  stats(): SimulatorStats {
    return {
      created: { ...this.#created },
      createdTotal: Object.values(this.#created).reduce((a, b) => a + b, 0),
      charged: this.#chargedCents / 100,
      refunded: this.#refundedCents / 100,
      balance: this.#balanceCents / 100,
      requests: { ...this.#requests },
      rateLimited: this.#rateLimited,
      faults: Object.fromEntries(this.#faults.injected),
      renders: this.#renderer.renders,
      renderProcesses: this.#renderer.processes,
      webhooks: [...this.#webhooks],
    }
  }

  submissions(): readonly SubmissionRecord[] {
    return [...this.#submissions]
  }

  predictions(): Promise<PredictionView[]> {
    return Promise.all(this.#engine.all().map((record) => this.#engine.view(record, this.url)))
  }

  setFaults(faults: Faults): void {
    this.#faults.set(faults)
  }

  async close(): Promise<void> {
    this.#closing.abort(new SimError('SIM_CLOSED', 'The simulator was closed.'))
    this.#server.closeAllConnections()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('x-request-id', randomUUID())
    const method = req.method ?? 'GET'
    const { pathname, searchParams } = new URL(req.url ?? '/', 'http://127.0.0.1')
    const route = classifyRoute(method, pathname)
    this.#requests[route.name] = (this.#requests[route.name] ?? 0) + 1

    const fault = this.#faults.http(route.name)
    if (fault === 'drop') return void req.socket.destroy()
    if (fault === '5xx') {
      const status = this.#faults.gatewayStatus(route.name)
      if (status === 502 || status === 504) return sendGatewayPage(res, status)
      return sendEnvelope(res, status, status === 503 ? 'Service temporarily unavailable. Retry with backoff.' : 'Internal server error. Retry with backoff.')
    }
    if (fault === '429') return this.#tooManyRequests(res, 1)

    if (route.auth && req.headers.authorization !== `Bearer ${this.apiKey}`) {
      return sendEnvelope(res, 401, 'Unauthorized: the API key is missing or invalid. Send Authorization: Bearer <your WaveSpeed API key>.')
    }
    switch (route.name) {
      case 'submit':
        return this.#submit(req, res, route.param!, searchParams.get('webhook') ?? undefined)
      case 'result':
        return this.#result(res, route.param!)
      case 'history':
        return this.#history(req, res)
      case 'delete':
        return this.#delete(req, res)
      case 'balance':
        return sendEnvelope(res, 200, 'success', { balance: this.#balanceCents / 100 })
      case 'models':
        return sendEnvelope(res, 200, 'success', liveModels(this.url))
      case 'price':
        return sendEnvelope(res, 200, 'success', quotePrice(await readJsonObject(req)))
      case 'webhook-secret':
        return sendEnvelope(res, 200, 'success', { secret: this.#webhookSecret })
      case 'upload-ticket':
        return sendEnvelope(res, 200, 'success', this.#uploads.createTicket(await readJsonObject(req), this.url))
      case 'upload-binary':
        return this.#uploadBinary(req, res)
      case 'upload-put':
        if (method !== 'PUT') throw new HttpProblem(405, 'Upload URLs take PUT.')
        this.#uploads.put(route.param!, req.headers, await readBody(req, MAX_UPLOAD_BYTES))
        res.writeHead(200, { 'content-length': 0 }).end()
        return
      case 'media':
        return this.#media(req, res, route.param!)
      case 'output':
        return this.#output(req, res, route.param!)
      case 'unknown':
        throw new HttpProblem(404, `No route for ${method} ${pathname}.`)
    }
  }

  async #submit(req: IncomingMessage, res: ServerResponse, modelPath: string, webhook: string | undefined): Promise<void> {
    const body = await readJsonObject(req)
    const model = findModel(modelPath)
    const validated = model && model.id === modelPath ? validateInput(model, body) : undefined
    const images: SubmissionRecord['images'] = []
    const record = (status: number, message?: string, id?: string, imageList = images): void => {
      this.#submissions.push({
        time: Date.now(),
        model: modelPath,
        params: body,
        dropped: validated?.ok ? validated.dropped : [],
        ...(webhook !== undefined ? { webhook } : {}),
        status,
        ...(message !== undefined ? { message } : {}),
        ...(id !== undefined ? { id } : {}),
        images: imageList,
      })
    }
    const refuse = (status: number, message: string): void => {
      record(status, message)
      sendEnvelope(res, status, message)
    }
    if (!model || !validated) return refuse(404, `Model not found: ${modelPath}. List models with GET /api/v3/models.`)
    if (webhook !== undefined && body.enable_base64_output === true) {
      record(400, BASE64_WEBHOOK_ERROR)
      return sendJson(res, 400, { error: BASE64_WEBHOOK_ERROR })
    }
    if (!validated.ok) return refuse(400, validated.message)
    const retryAfter = this.#rateLimitWait()
    if (retryAfter !== undefined) {
      record(429, 'rate limited')
      return this.#tooManyRequests(res, retryAfter)
    }
    const costCents = Math.round(priceOf(model, Number(withDefaults(model, validated.input).duration)) * 100)
    if (costCents > this.#balanceCents) {
      return refuse(403, `Insufficient balance: this prediction costs $${(costCents / 100).toFixed(2)} and the balance is $${(this.#balanceCents / 100).toFixed(2)}. Top up your account.`)
    }

    this.#balanceCents -= costCents
    this.#chargedCents += costCents
    this.#created[model.id] = (this.#created[model.id] ?? 0) + 1
    this.#recentCreations.push(Date.now())
    const prediction = this.#engine.create(model, validated.input, {
      ...(webhook !== undefined ? { webhook } : {}),
      base64Output: body.enable_base64_output === true,
      costCents,
    })
    const dropped = this.#faults.dropSubmitAfterCreate()
    const gatewayTimeout = !dropped && this.#faults.gatewayTimeoutAfterCreate()
    record(gatewayTimeout ? 504 : 200, undefined, prediction.id, prediction.images)
    if (dropped) return void req.socket.destroy()
    if (gatewayTimeout) return sendGatewayPage(res, 504)
    if (body.enable_sync_mode === true) return this.#answerSync(res, prediction)
    sendEnvelope(res, 200, 'success', await this.#engine.view(prediction, this.url))
  }

  async #answerSync(res: ServerResponse, prediction: PredictionRecord): Promise<void> {
    const timeoutMs = this.#options.syncTimeoutMs ?? 90_000
    const timer = new AbortController()
    const done = await Promise.race([
      prediction.settled.then(() => true),
      sleep(timeoutMs, false, { signal: AbortSignal.any([timer.signal, this.#closing.signal]) }),
    ]).finally(() => timer.abort())
    if (done) return sendEnvelope(res, 200, 'success', await this.#engine.view(prediction, this.url))
    sendEnvelope(res, 200, 'success', {
      id: prediction.id,
      status: 'processing',
      code: 5004,
      error: `Sync mode timed out after ${Number((timeoutMs / 1000).toFixed(3))} seconds. The prediction is still processing asynchronously.`,
      urls: { get: `${this.url}/api/v3/predictions/${prediction.id}/result` },
    })
  }

  async #result(res: ServerResponse, id: string): Promise<void> {
    const record = this.#engine.get(id)
    if (!record) throw new HttpProblem(404, `Prediction ${id} not found. Predictions are kept for 7 days.`)
    sendEnvelope(res, 200, 'success', await this.#engine.view(record, this.url))
  }

  async #history(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { page, records } = selectHistory(this.#engine.all(), await readJsonObject(req))
    const items = await Promise.all(records.map((record) => this.#engine.view(record, this.url)))
    sendEnvelope(res, 200, 'success', { page, items })
  }

  async #delete(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { ids } = await readJsonObject(req)
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) throw new HttpProblem(400, '`ids` must be an array of prediction ids.')
    let deleted = 0
    for (const id of ids) {
      const record = this.#engine.get(id)
      if (record && record.status !== 'deleted') {
        this.#engine.delete(record)
        deleted++
      }
    }
    sendEnvelope(res, 200, 'success', { deleted_count: deleted })
  }

  async #uploadBinary(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const contentType = req.headers['content-type'] ?? ''
    if (!contentType.startsWith('multipart/form-data')) throw new HttpProblem(400, 'Send multipart/form-data with the file in the field `file`.')
    const raw = await readBody(req, MAX_UPLOAD_BYTES + 64 * 1024)
    let form: FormData
    try {
      // The runtime's fetch Request already implements multipart parsing.
      form = await new Request('http://127.0.0.1/', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData()
    } catch {
      throw new HttpProblem(400, 'The multipart body could not be parsed.')
    }
    const file = form.get('file')
    if (!file || typeof file === 'string') throw new HttpProblem(400, 'Missing the field `file` in the multipart body.')
    const bytes = Buffer.from(await file.arrayBuffer())
    sendEnvelope(res, 200, 'success', this.#uploads.storeBinary(file.name || 'upload', file.type, bytes, this.url))
  }

  async #media(req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
    const file = this.#uploads.get(token)
    if (!file) throw new HttpProblem(404, 'Media not found or expired.')
    await serveFile(req, res, { bytes: file.bytes }, { contentType: file.contentType, truncate: false })
  }

  async #output(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const path = this.#engine.outputFile(id)
    if (!path) throw new HttpProblem(404, 'Output not found: it expired, was deleted, or the prediction has not completed.')
    await serveFile(req, res, { path }, { contentType: 'video/mp4', truncate: this.#faults.truncateDownload() })
  }

  /** ms until the per-minute creation limit allows another prediction, or undefined when it does now. */
  #rateLimitWait(): number | undefined {
    const limit = this.#options.ratePerMinute
    if (limit === undefined) return undefined
    const now = Date.now()
    while (this.#recentCreations.length > 0 && this.#recentCreations[0]! <= now - MINUTE_MS) this.#recentCreations.shift()
    if (this.#recentCreations.length < limit) return undefined
    return Math.max(1, Math.ceil((this.#recentCreations[0]! + MINUTE_MS - now) / 1000))
  }

  #tooManyRequests(res: ServerResponse, retryAfterSeconds: number): void {
    this.#rateLimited++
    sendEnvelope(res, 429, `Too many requests: rate limit exceeded. Retry after ${retryAfterSeconds} s.`, undefined, { 'retry-after': String(retryAfterSeconds) })
  }

  #onSettled(record: PredictionRecord): void {
    if (isRefunded(record.status)) {
      this.#balanceCents += record.costCents
      this.#refundedCents += record.costCents
    }
    // Deleting is the account owner's own act; the service reports outcomes of the render.
    if (record.webhook && record.status !== 'deleted') void this.#sendWebhook(record, record.webhook)
  }

  async #sendWebhook(record: PredictionRecord, url: string): Promise<void> {
    try {
      const prediction = await this.#engine.view(record, this.url)
      const id = randomBytes(12).toString('hex')
      const deliver = () => deliverWebhook({ url, id, secret: this.#webhookSecret, prediction, retryBaseMs: this.#options.webhookRetryBaseMs ?? 1000, signal: this.#closing.signal })
      this.#webhooks.push(await deliver())
      if (this.#faults.duplicateWebhook()) this.#webhooks.push(await deliver())
    } catch {
      // Only the simulator closing interrupts a delivery; there is nobody left to tell.
    }
  }

  #fail(res: ServerResponse, error: unknown): void {
    if (res.headersSent) {
      res.destroy()
      return
    }
    if (error instanceof HttpProblem) return sendEnvelope(res, error.status, error.message)
    sendEnvelope(res, 500, `Internal simulator error: ${(error as Error).message}`)
  }
}

/**
 * Starts a WaveSpeed API simulator on 127.0.0.1.
 *
 * @example
 * const sim = await startSimulator({ latencyMs: 200 })
 * process.env.WAVESPEED_BASE_URL = sim.url
 * process.env.WAVESPEED_API_KEY = sim.apiKey
 * // ... run the client ...
 * await sim.close()
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  for (const name of ['latencyMs', 'queueDelayMs', 'balance', 'outputTtlMs', 'uploadTtlMs', 'syncTimeoutMs', 'webhookRetryBaseMs'] as const) {
    const value = options[name]
    if (value !== undefined && !(typeof value === 'number' && value >= 0)) {
      throw new SimError('SIM_OPTION_INVALID', `\`${name}\` must be a number >= 0 (got ${String(value)}).`)
    }
  }
  for (const name of ['concurrency', 'ratePerMinute', 'renderConcurrency'] as const) {
    const value = options[name]
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
      throw new SimError('SIM_OPTION_INVALID', `\`${name}\` must be an integer >= 1 (got ${String(value)}).`)
    }
  }
  if (options.videoScale !== undefined && !(options.videoScale > 0 && options.videoScale <= 1)) {
    throw new SimError('SIM_OPTION_INVALID', `\`videoScale\` must be in (0, 1] (got ${options.videoScale}).`)
  }
  const simulator = new SimulatorServer(options)
  await simulator.listen(options.port ?? 0)
  return simulator
}
