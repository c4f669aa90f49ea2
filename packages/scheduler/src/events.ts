interface EventBase {
  readonly shot: string
  /**
   * The take (1-based) the event is about: set on every event of a prediction or a clip; absent on
   * `queued`, `waiting` and a shot's `skipped`, which concern all its takes. Only the picked take's
   * events say what the reel's shot is doing; the others are alternatives rendered beside it.
   */
  readonly take?: number
  /** True when `take` is the shot's pick. */
  readonly picked?: boolean
  /** Epoch ms (from the `now` option). */
  readonly at: number
  /** USD spent on this shot's predictions (every take) in this run so far. */
  readonly spent: number
}

export interface ShotTimings {
  /** When the run accepted the shot. */
  readonly queuedAt: number
  /** When its inputs were ready and it took a slot. */
  readonly startedAt?: number
  readonly submittedAt?: number
  readonly finishedAt: number
  /** Rendering time the provider reported. */
  readonly inferenceMs?: number
}

/** What the scheduler reports as it goes, for progress views and the manifest. */
export type SchedulerEvent =
  | (EventBase & { readonly type: 'queued' })
  /** Inputs not ready: the shots whose clips it needs. */
  | (EventBase & { readonly type: 'waiting'; readonly on: readonly string[] })
  | (EventBase & { readonly type: 'uploading'; readonly attempt: number })
  | (EventBase & {
      readonly type: 'submitted'
      readonly attempt: number
      readonly predictionId: string
      /** USD this prediction costs; 0 when re-attached to one an earlier run paid for. */
      readonly cost: number
      /** `new`: created now; `reattached`: created by an interrupted run; `recovered`: found by the provider after an unrecorded submission. */
      readonly origin: 'new' | 'reattached' | 'recovered'
    })
  | (EventBase & { readonly type: 'processing'; readonly attempt: number; readonly predictionId: string })
  | (EventBase & { readonly type: 'downloading'; readonly attempt: number; readonly predictionId: string })
  | (EventBase & {
      readonly type: 'done'
      readonly attempt: number
      readonly predictionId: string
      readonly clip: string
      readonly sha256: string
      /** The clip's cache key. */
      readonly key: string
      readonly timings: ShotTimings
    })
  | (EventBase & {
      readonly type: 'failed'
      readonly attempt: number
      readonly predictionId?: string
      /** The provider's message (the API's, for WaveSpeed). */
      readonly message: string
      readonly code?: string
      /** The service gave this attempt's price back: it is no longer spend (see `spent`). */
      readonly refunded?: boolean
      /** True when a new prediction will be tried next. */
      readonly willRetry: boolean
    })
  | (EventBase & { readonly type: 'retrying'; readonly attempt: number; readonly reason: string })
  | (EventBase & { readonly type: 'skipped'; readonly reason: string })
  /** The clip came from the cache or from an earlier run in the same run directory: nothing submitted. */
  | (EventBase & {
      readonly type: 'cached'
      readonly clip: string
      readonly sha256: string
      readonly key: string
      readonly source: 'cache' | 'run-dir'
    })

export type SchedulerEventType = SchedulerEvent['type']
