import { imageFields, type SimModel } from './models.ts'
import { sha256 } from './sha256.ts'
import { withDefaults } from './validate-input.ts'

/**
 * What makes two requests identical: the model and every effective input (defaults
 * filled in), with each image named by its content when the simulator holds it
 * (its own uploads) and by its URL otherwise.
 */
export function requestIdentity(
  model: SimModel,
  input: Readonly<Record<string, unknown>>,
  imageKey: (ref: string) => string,
): string {
  const effective = withDefaults(model, input)
  for (const field of imageFields(model)) {
    const ref = effective[field]
    if (typeof ref === 'string') effective[field] = imageKey(ref)
  }
  const sorted = Object.keys(effective)
    .sort()
    .map((key) => [key, effective[key]])
  return sha256(JSON.stringify([model.id, sorted]))
}

/**
 * Numbers identical requests 0, 1, 2... in the order they were submitted, the way
 * a user tells takes apart; a prediction's take decides how its clip varies.
 */
export class TakeCounter {
  readonly #seen = new Map<string, number>()

  next(identity: string): number {
    const take = this.#seen.get(identity) ?? 0
    this.#seen.set(identity, take + 1)
    return take
  }
}

/**
 * `base` moved by up to `jitterMs` either way (uniformly, never below 0), drawn
 * from the request and its take: the same storyboard gets the same render times
 * in every run, whatever order its shots are submitted in.
 */
export function jitteredLatency(base: number, jitterMs: number, identity: string, take: number): number {
  if (jitterMs <= 0) return base
  const unit = Number.parseInt(sha256(`latency:${identity}:${take}`).slice(0, 8), 16) / 0xffffffff
  return Math.max(0, Math.round(base + (unit * 2 - 1) * jitterMs))
}
