export type SimErrorCode =
  'SIM_OPTION_INVALID' | 'SIM_LISTEN_FAILED' | 'SIM_CLOSED' | 'SIM_FFMPEG_MISSING' | 'SIM_FFMPEG_FAILED'

/** The one error type the simulator throws; `code` says which failure it is. */
export class SimError extends Error {
  override readonly name = 'SimError'
  readonly code: SimErrorCode

  constructor(code: SimErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.code = code
  }
}
