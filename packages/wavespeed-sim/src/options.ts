import { SimError } from './errors.ts'
import type { SimulatorOptions } from './types.ts'

/** Throws `SIM_OPTION_INVALID` for the first option out of range. */
export function checkOptions(options: SimulatorOptions): void {
  for (const name of [
    'latencyMs',
    'latencyJitterMs',
    'queueDelayMs',
    'balance',
    'outputTtlMs',
    'uploadTtlMs',
    'syncTimeoutMs',
    'webhookRetryBaseMs',
  ] as const) {
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
}
