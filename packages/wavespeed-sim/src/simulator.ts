import { randomBytes, randomUUID } from 'node:crypto'
import { setMaxListeners } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Account } from './account.ts'
import { corruptBody } from './corrupt-output.ts'
import { SimError } from './errors.ts'
import { type CorruptKind, FaultInjector, type Faults, type Outage, type RouteName } from './faults.ts'
import { defaultFfmpeg } from './ffmpeg.ts'
import { HttpProblem, readBody, readJsonObject, sendEnvelope, sendGatewayPage } from './http-io.ts'
import { liveModels, quotePrice } from './live-models.ts'
import { checkOptions } from './options.ts'
import {
  countPoll,
  deletePredictions,
  history,
  type PredictionApi,
  result,
  submit,
} from './prediction-routes.ts'
import { apiView, timelineOf } from './prediction-views.ts'
import { isRefunded, PredictionEngine, type PredictionRecord } from './predictions.ts'
import { classifyRoute } from './route-table.ts'
import { serveFile } from './serve-file.ts'
import type {
  PredictionTimeline,
  PredictionView,
  SimulatorOptions,
  SimulatorStats,
  SubmissionRecord,
} from './types.ts'
import { MAX_UPLOAD_BYTES, readMultipartFile, UploadStore } from './uploads.ts'
import { VideoRenderer } from './video-render.ts'
import { createWebhookSecret, deliverWebhook, type WebhookDelivery } from './webhooks.ts'

const WEEK_MS = 7 * 24 * 60 * 60 * 1000

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
  /** Every prediction created, in order, with its take, render time, polls and when each thing happened. */
  timelines(): PredictionTimeline[]
  /** Replaces the fault configuration (and restarts its random streams from the seed). */
  setFaults(faults: Faults): void
  /** Makes `route` answer 5xx to every request for `forMs`, then recover; independent of `setFaults`. */
  outage(outage: Outage): void
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
  readonly #account: Account
  readonly #api: PredictionApi
  #rateLimited = 0

  constructor(options: SimulatorOptions) {
    this.#options = options
    // Every waiting prediction, sync request and webhook listens on this one signal.
    setMaxListeners(0, this.#closing.signal)
    this.apiKey = options.apiKey ?? `sim-key-${randomBytes(12).toString('hex')}`
    this.#account = new Account(options.balance ?? 100, options.ratePerMinute)
    this.#webhookSecret = options.webhookSecret ?? createWebhookSecret()
    this.#faults = new FaultInjector(options.faults)
    this.#uploads = new UploadStore(options.uploadTtlMs ?? WEEK_MS)
    this.#renderer = new VideoRenderer({
      cacheDir: options.cacheDir ?? join(tmpdir(), 'storyreel-wavespeed-sim-cache'),
      ffmpeg: options.ffmpegPath ?? defaultFfmpeg(),
      concurrency: options.renderConcurrency,
      signal: this.#closing.signal,
    })
    const latencyMs = options.latencyMs ?? 1000
    this.#engine = new PredictionEngine({
      concurrency: options.concurrency ?? 2,
      queueDelayMs: options.queueDelayMs ?? 0,
      latency: options.latency ?? (() => latencyMs),
      latencyJitterMs: options.latencyJitterMs ?? 0,
      distinctTakes: options.distinctTakes ?? true,
      videoScale: options.videoScale ?? 0.25,
      outputTtlMs: options.outputTtlMs ?? WEEK_MS,
      acceptBase64Images: options.acceptBase64Images ?? false,
      renderer: this.#renderer,
      faults: this.#faults,
      signal: this.#closing.signal,
      onSettled: (record) => this.#onSettled(record),
    })
    // The API object's getter must read the url of this simulator, not of the object literal.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const server = this
    this.#api = {
      get url() {
        return server.url
      },
      engine: this.#engine,
      account: this.#account,
      faults: this.#faults,
      uploads: this.#uploads,
      submissions: this.#submissions,
      syncTimeoutMs: options.syncTimeoutMs ?? 90_000,
      signal: this.#closing.signal,
      tooManyRequests: (res: ServerResponse, seconds: number) => this.#tooManyRequests(res, seconds),
    }
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => this.#fail(res, error))
    })
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', (cause) =>
        reject(
          new SimError(
            'SIM_LISTEN_FAILED',
            `Cannot listen on 127.0.0.1:${port}: ${cause.message}. Pick another port or use 0.`,
            { cause },
          ),
        ),
      )
      this.#server.listen(port, '127.0.0.1', resolve)
    })
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
  }

  stats(): SimulatorStats {
    return {
      ...this.#account.totals(),
      requests: { ...this.#requests },
      rateLimited: this.#rateLimited,
      faults: Object.fromEntries(this.#faults.injected),
      outstanding: this.#engine.outstanding,
      maxOutstanding: this.#engine.maxOutstanding,
      renders: this.#renderer.renders,
      renderProcesses: this.#renderer.processes,
      webhooks: [...this.#webhooks],
    }
  }

  submissions(): readonly SubmissionRecord[] {
    return [...this.#submissions]
  }

  predictions(): Promise<PredictionView[]> {
    return Promise.all(this.#engine.all().map((record) => apiView(record, this.url)))
  }

  timelines(): PredictionTimeline[] {
    return this.#engine.all().map(timelineOf)
  }

  setFaults(faults: Faults): void {
    this.#faults.set(faults)
  }

  outage(outage: Outage): void {
    if (!(typeof outage.forMs === 'number' && outage.forMs >= 0))
      throw new SimError(
        'SIM_OPTION_INVALID',
        `\`forMs\` must be a number >= 0 (got ${String(outage.forMs)}).`,
      )
    this.#faults.outage(outage)
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
    // Only names of this very address: a web page that rebinds its own DNS name to 127.0.0.1 gets nothing.
    const port = new URL(this.url).port
    if (req.headers.host !== `127.0.0.1:${port}` && req.headers.host !== `localhost:${port}`) {
      return sendEnvelope(
        res,
        403,
        `Forbidden: the simulator answers only requests addressed to 127.0.0.1:${port} (got Host ${JSON.stringify(req.headers.host ?? '')}).`,
      )
    }
    const route = classifyRoute(method, pathname)
    this.#requests[route.name] = (this.#requests[route.name] ?? 0) + 1
    if (route.name === 'result') countPoll(this.#api, route.param!)

    const fault = this.#faults.http(route.name)
    if (fault === 'drop') return void req.socket.destroy()
    if (fault === '5xx') {
      const status = this.#faults.gatewayStatus(route.name)
      if (status === 502 || status === 504) return sendGatewayPage(res, status)
      return sendEnvelope(
        res,
        status,
        status === 503
          ? 'Service temporarily unavailable. Retry with backoff.'
          : 'Internal server error. Retry with backoff.',
      )
    }
    if (fault === '429') return this.#tooManyRequests(res, 1)

    if (route.auth && req.headers.authorization !== `Bearer ${this.apiKey}`) {
      return sendEnvelope(
        res,
        401,
        'Unauthorized: the API key is missing or invalid. Send Authorization: Bearer <your WaveSpeed API key>.',
      )
    }
    switch (route.name) {
      case 'submit':
        return submit(this.#api, req, res, route.param!, searchParams.get('webhook') ?? undefined)
      case 'result':
        return result(this.#api, res, route.param!)
      case 'history':
        return history(this.#api, req, res)
      case 'delete':
        return deletePredictions(this.#api, req, res)
      case 'balance':
        return sendEnvelope(res, 200, 'success', { balance: this.#account.balance })
      case 'models':
        return sendEnvelope(res, 200, 'success', liveModels(this.url))
      case 'price':
        return sendEnvelope(res, 200, 'success', quotePrice(await readJsonObject(req)))
      case 'webhook-secret':
        return sendEnvelope(res, 200, 'success', { secret: this.#webhookSecret })
      case 'upload-ticket':
        return sendEnvelope(
          res,
          200,
          'success',
          this.#uploads.createTicket(await readJsonObject(req), this.url),
        )
      case 'upload-binary': {
        const file = await readMultipartFile(req)
        return sendEnvelope(
          res,
          200,
          'success',
          this.#uploads.storeBinary(file.name, file.type, file.bytes, this.url),
        )
      }
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

  async #media(req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
    const file = this.#uploads.get(token)
    if (!file) throw new HttpProblem(404, 'Media not found or expired.')
    await serveFile(req, res, { bytes: file.bytes }, { contentType: file.contentType, truncate: false })
  }

  async #output(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const record = this.#engine.get(id)
    const path = record?.status === 'completed' ? record.file : undefined
    if (!record || !path)
      throw new HttpProblem(
        404,
        'Output not found: it expired, was deleted, or the prediction has not completed.',
      )
    let corrupt: CorruptKind | undefined
    if (req.method !== 'HEAD') {
      record.downloads++
      corrupt = this.#faults.corruptOutput({
        id,
        model: record.model.id,
        params: record.input,
        download: record.downloads,
      })
    }
    const source = corrupt ? { bytes: await corruptBody(path, corrupt) } : { path }
    await serveFile(req, res, source, { contentType: 'video/mp4', truncate: this.#faults.truncateDownload() })
  }

  #tooManyRequests(res: ServerResponse, retryAfterSeconds: number): void {
    this.#rateLimited++
    sendEnvelope(
      res,
      429,
      `Too many requests: rate limit exceeded. Retry after ${retryAfterSeconds} s.`,
      undefined,
      { 'retry-after': String(retryAfterSeconds) },
    )
  }

  #onSettled(record: PredictionRecord): void {
    if (isRefunded(record.status)) this.#account.refund(record.costCents)
    // Deleting is the account owner's own act; the service reports outcomes of the render.
    if (record.webhook && record.status !== 'deleted') void this.#sendWebhook(record, record.webhook)
  }

  async #sendWebhook(record: PredictionRecord, url: string): Promise<void> {
    try {
      const prediction = await apiView(record, this.url)
      const id = randomBytes(12).toString('hex')
      const deliver = () =>
        deliverWebhook({
          url,
          id,
          secret: this.#webhookSecret,
          prediction,
          retryBaseMs: this.#options.webhookRetryBaseMs ?? 1000,
          signal: this.#closing.signal,
        })
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
  checkOptions(options)
  const simulator = new SimulatorServer(options)
  await simulator.listen(options.port ?? 0)
  return simulator
}
