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
  | 'status-override'

const DEFAULT_FAILURE: InjectedFailure = { code: 5000, error: 'Internal error: the render worker crashed. Retry with backoff.' }
const GATEWAY_STATUSES = [500, 502, 503, 504] as const

function rateFor(rates: RouteRates | undefined, route: RouteName): number {
  if (rates === undefined) return 0
  if (typeof rates === 'number') return route === 'output' || route === 'media' || route === 'upload-put' ? 0 : rates
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

  constructor(faults: Faults = {}) {
    this.set(faults)
  }

  set(faults: Faults): void {
    this.#faults = faults
    this.#streams.clear()
  }

  /** The fault to apply to a request on `route` before it is handled, if any. */
  http(route: RouteName): HttpFault | undefined {
    const f = this.#faults
    if (this.#draw(`${route}:drop`) < rateFor(f.dropConnection, route)) return this.#count('drop')
    if (this.#draw(`${route}:5xx`) < rateFor(f.rate5xx, route)) return this.#count('5xx')
    if (this.#draw(`${route}:429`) < rateFor(f.rate429, route)) return this.#count('429')
    return undefined
  }

  gatewayStatus(route: RouteName): number {
    return GATEWAY_STATUSES[Math.floor(this.#draw(`${route}:5xx-status`) * GATEWAY_STATUSES.length)] ?? 500
  }

  dropSubmitAfterCreate(): boolean {
    return this.#draw('submit:drop-after-create') < (this.#faults.dropSubmitAfterCreate ?? 0) && this.#count('drop-after-create') !== undefined
  }

  gatewayTimeoutAfterCreate(): boolean {
    return this.#draw('submit:504-after-create') < (this.#faults.gatewayTimeoutAfterCreate ?? 0) && this.#count('504-after-create') !== undefined
  }

  duplicateWebhook(): boolean {
    return this.#draw('webhook:duplicate') < (this.#faults.duplicateWebhook ?? 0) && this.#count('duplicate-webhook') !== undefined
  }

  truncateDownload(): boolean {
    return this.#draw('output:truncate') < (this.#faults.truncateDownload ?? 0) && this.#count('truncate-download') !== undefined
  }

  predictionFailure(input: PredictionInput): InjectedFailure | undefined {
    const rule = this.#faults.failPrediction
    let failure: InjectedFailure | undefined
    if (typeof rule === 'function') {
      const verdict = rule(input)
      failure = verdict === true ? DEFAULT_FAILURE : verdict || undefined
    } else if (rule !== undefined) {
      const spec = typeof rule === 'number' ? { rate: rule } : rule
      if (this.#draw('prediction:fail') < spec.rate) failure = { code: spec.code ?? DEFAULT_FAILURE.code, error: spec.error ?? DEFAULT_FAILURE.error }
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
