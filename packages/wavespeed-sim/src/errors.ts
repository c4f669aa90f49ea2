export type SimErrorCode =
  | 'SIM_OPTION_INVALID'
  | 'SIM_LISTEN_FAILED'
  | 'SIM_CLOSED'

/** The one error type the simulator throws; `code` says which failure it is. */
export class SimError extends Error {
  override readonly name = 'SimError'
  readonly code: SimErrorCode
  readonly details: Readonly<Record<string, unknown>>

  constructor(code: SimErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, { cause: options.cause })
    this.code = code
    this.details = options.details ?? {}
  }
}
