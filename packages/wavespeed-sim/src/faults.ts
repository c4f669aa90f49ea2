import { monotonicNow } from './clock.ts'
import { createRandom, type Random } from './prng.ts'

/** Route names used for fault scoping, request counters and the PRNG streams. */
export type RouteName =
  | 'submit'
  | 'result'
  | 'history'
  | 'delete'
  | 'balance'
  | 'models'
  | 'price'
  | 'webhook-secret'
  | 'upload-ticket'
  | 'upload-binary'
  | 'upload-put'
  | 'media'
  | 'output'
  | 'unknown'

/** A probability for every `/api/v3` route, or probabilities per route (any route, including `output`, `media` and `upload-put`). */
export type RouteRates = number | Partial<Record<RouteName, number>>

/** What a prediction was submitted with, as given to fault predicates. */
export interface PredictionInput {
  readonly model: string
  readonly params: Readonly<Record<string, unknown>>
}

/** A business failure to inject: `code` lands in `data.code`, `error` in `data.error`. */
export interface InjectedFailure {
  readonly code: number
  readonly error?: string
}

export type FailPrediction =
  | number
  | { readonly rate: number; readonly code?: number; readonly error?: string }
  | ((input: PredictionInput) => boolean | InjectedFailure | undefined)

export type OverrideStatus = 'cancelled' | 'timeout' | 'deleted'

/**
 * How a download of an output goes bad while the transfer itself succeeds:
 * `not-video` sends bytes that are no video (as many as the clip has), `truncated`
 * sends the first half of the mp4 with a Content-Length that matches it.
 */
export type CorruptKind = 'not-video' | 'truncated'

/** One GET of a prediction's output, as given to a `corruptOutput` predicate. */
export interface OutputDownload extends PredictionInput {
  readonly id: string
  /** 1 for the first GET of this output, 2 for the next... */
  readonly download: number
}

export type CorruptOutput =
  | number
  | { readonly rate: number; readonly kind?: CorruptKind }
  | ((download: OutputDownload) => CorruptKind | undefined)

/** A window during which every request on `route` fails with a 5xx, then the route recovers. */
export interface Outage {
  readonly route: RouteName | readonly RouteName[]
  readonly forMs: number
  /** Default: 500, 502, 503 or 504, drawn as for `rate5xx` (502 and 504 as HTML gateway pages). */
  readonly status?: 500 | 502 | 503 | 504
}

export type StatusOverride = OverrideStatus | ((input: PredictionInput) => OverrideStatus | undefined)

export interface Faults {
  /** Seed of every random decision below; default 1. */
  readonly seed?: number | string
  /** Answer 429 (with Retry-After: 1) instead of handling the request. */
  readonly rate429?: RouteRates
  /** Answer 500/502/503/504 (502 and 504 as an HTML gateway page) instead of handling the request. */
  readonly rate5xx?: RouteRates
  /** Destroy the connection without answering, before handling the request. */
  readonly dropConnection?: RouteRates
  /** Create the prediction, then destroy the connection instead of answering: the client paid but never learns the id. */
  readonly dropSubmitAfterCreate?: number
  /** Create the prediction, then answer a 504 gateway page (also for sync-mode submits, as the docs warn). */
  readonly gatewayTimeoutAfterCreate?: number
  /** Deliver a webhook twice (the docs tell receivers to handle duplicates). */
  readonly duplicateWebhook?: number
  /** Fail predictions at the end of their render time. */
  readonly failPrediction?: FailPrediction
  /** Send part of an output file, then destroy the connection. */
  readonly truncateDownload?: number
  /** Serve a corrupt output with a complete, well-formed response: a probability (`not-video`), `{rate, kind}`, or a predicate per download. */
  readonly corruptOutput?: CorruptOutput
  /** End predictions in this status instead of `completed`. */
  readonly statusOverride?: StatusOverride
}

export type HttpFault = '429' | '5xx' | 'drop'

export type FaultKind =
  | HttpFault
  | 'drop-after-create'
  | '504-after-create'
  | 'duplicate-webhook'
  | 'fail-prediction'
  | 'truncate-download'
  | 'corrupt-output'
  | 'status-override'
  | 'outage'

const DEFAULT_FAILURE: InjectedFailure = {
  code: 5000,
  error: 'Internal error: the render worker crashed. Retry with backoff.',
}
const GATEWAY_STATUSES = [500, 502, 503, 504] as const

function rateFor(rates: RouteRates | undefined, route: RouteName): number {
  if (rates === undefined) return 0
  if (typeof rates === 'number')
    return route === 'output' || route === 'media' || route === 'upload-put' ? 0 : rates
  return rates[route] ?? 0
}

/**
 * Decides, deterministically for a seed, which requests and predictions go wrong.
 * Every (route, fault kind) pair has its own random stream.
 */
export class FaultInjector {
  readonly injected = new Map<FaultKind, number>()
  #faults: Faults = {}
  #streams = new Map<string, Random>()
  #outages: { routes: ReadonlySet<RouteName>; until: number; status: number | undefined }[] = []

  constructor(faults: Faults = {}) {
    this.set(faults)
  }

  set(faults: Faults): void {
    this.#faults = faults
    this.#streams.clear()
  }

  /** Starts an outage now; it runs alongside (and survives) `set()`. */
  outage(outage: Outage): void {
    const routes = new Set<RouteName>(typeof outage.route === 'string' ? [outage.route] : outage.route)
    this.#outages.push({ routes, until: monotonicNow() + outage.forMs, status: outage.status })
  }

  /** The fault to apply to a request on `route` before it is handled, if any. */
  http(route: RouteName): HttpFault | undefined {
    if (this.#outageOn(route)) {
      this.#count('outage')
      return '5xx'
    }
    const f = this.#faults
    if (this.#draw(`${route}:drop`) < rateFor(f.dropConnection, route)) return this.#count('drop')
    if (this.#draw(`${route}:5xx`) < rateFor(f.rate5xx, route)) return this.#count('5xx')
    if (this.#draw(`${route}:429`) < rateFor(f.rate429, route)) return this.#count('429')
    return undefined
  }

  gatewayStatus(route: RouteName): number {
    const fixed = this.#outageOn(route)?.status
    if (fixed !== undefined) return fixed
    return GATEWAY_STATUSES[Math.floor(this.#draw(`${route}:5xx-status`) * GATEWAY_STATUSES.length)] ?? 500
  }

  dropSubmitAfterCreate(): boolean {
    return (
      this.#draw('submit:drop-after-create') < (this.#faults.dropSubmitAfterCreate ?? 0) &&
      this.#count('drop-after-create') !== undefined
    )
  }

  gatewayTimeoutAfterCreate(): boolean {
    return (
      this.#draw('submit:504-after-create') < (this.#faults.gatewayTimeoutAfterCreate ?? 0) &&
      this.#count('504-after-create') !== undefined
    )
  }

  duplicateWebhook(): boolean {
    return (
      this.#draw('webhook:duplicate') < (this.#faults.duplicateWebhook ?? 0) &&
      this.#count('duplicate-webhook') !== undefined
    )
  }

  truncateDownload(): boolean {
    return (
      this.#draw('output:truncate') < (this.#faults.truncateDownload ?? 0) &&
      this.#count('truncate-download') !== undefined
    )
  }

  corruptOutput(download: OutputDownload): CorruptKind | undefined {
    const rule = this.#faults.corruptOutput
    let kind: CorruptKind | undefined
    if (typeof rule === 'function') {
      kind = rule(download)
    } else if (rule !== undefined) {
      const spec = typeof rule === 'number' ? { rate: rule } : rule
      if (this.#draw('output:corrupt') < spec.rate) kind = spec.kind ?? 'not-video'
    }
    if (kind) this.#count('corrupt-output')
    return kind
  }

  predictionFailure(input: PredictionInput): InjectedFailure | undefined {
    const rule = this.#faults.failPrediction
    let failure: InjectedFailure | undefined
    if (typeof rule === 'function') {
      const verdict = rule(input)
      failure = verdict === true ? DEFAULT_FAILURE : verdict || undefined
    } else if (rule !== undefined) {
      const spec = typeof rule === 'number' ? { rate: rule } : rule
      if (this.#draw('prediction:fail') < spec.rate)
        failure = { code: spec.code ?? DEFAULT_FAILURE.code, error: spec.error ?? DEFAULT_FAILURE.error }
    }
    if (failure) this.#count('fail-prediction')
    return failure
  }

  statusOverride(input: PredictionInput): OverrideStatus | undefined {
    const rule = this.#faults.statusOverride
    const status = typeof rule === 'function' ? rule(input) : rule
    if (status) this.#count('status-override')
    return status
  }

  #outageOn(route: RouteName): { status: number | undefined } | undefined {
    const now = monotonicNow()
    this.#outages = this.#outages.filter((outage) => outage.until > now)
    return this.#outages.find((outage) => outage.routes.has(route))
  }

  #draw(stream: string): number {
    let random = this.#streams.get(stream)
    if (!random) {
      random = createRandom(this.#faults.seed ?? 1, stream)
      this.#streams.set(stream, random)
    }
    return random()
  }

  #count<K extends FaultKind>(kind: K): K {
    this.injected.set(kind, (this.injected.get(kind) ?? 0) + 1)
    return kind
  }
}
