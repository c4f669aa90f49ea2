/**
 * The Kling endpoints storyreel knows, with the parameters each one accepts.
 *
 * WaveSpeed silently drops fields a model does not take and still bills the run,
 * so this table is what the validator, the cost estimate, the client and the
 * simulator all agree on. Sources: shared/wavespeed-api.md §7 and the seed docs.
 */

export type VideoMode = 't2v' | 'i2v'

export interface ParamSpec {
  readonly type: 'string' | 'number' | 'integer'
  readonly required?: boolean
  readonly min?: number
  readonly max?: number
  readonly maxLength?: number
  readonly enum?: readonly (string | number)[]
  readonly default?: string | number
}

export interface ModelSpec {
  /** Full endpoint id, as in `POST /api/v3/{id}`. */
  readonly id: string
  /** Short name users write in storyboards; the id without the `kwaivgi/` vendor prefix. */
  readonly alias: string
  /** Further accepted spellings. */
  readonly aliases: readonly string[]
  readonly mode: VideoMode
  /** Every field the endpoint accepts, including `image`/end-frame fields. */
  readonly params: Readonly<Record<string, ParamSpec>>
  readonly durations: readonly number[]
  /** Name of the end-frame field, when the model takes one. */
  readonly endFrameField?: 'end_image' | 'last_image'
  /** True when the model cannot render without an end frame. */
  readonly endFrameRequired?: boolean
  /** USD for a 5 s clip; billed per second with a 5 s minimum. */
  readonly pricePer5s: number
  /** `documented` when WaveSpeed publishes the price, `inferred` when it was derived. */
  readonly priceSource: 'documented' | 'inferred'
  /**
   * Nominal output height in pixels (the width follows the aspect ratio). For the start-end-frame
   * model it is the height at 16:9: it renders about 2 megapixels in its input's aspect
   * (1660x1244 measured for 4:3), so other aspects come out taller (wavespeed-api.md §7.2).
   */
  readonly outputHeight: 720 | 1080
  readonly fps: number
}

const PROMPT: ParamSpec = { type: 'string', required: true, maxLength: 2500 }
const NEGATIVE: ParamSpec = { type: 'string', maxLength: 2500 }
const GUIDANCE: ParamSpec = { type: 'number', min: 0, max: 1, default: 0.5 }
const DURATION: ParamSpec = { type: 'integer', enum: [5, 10], default: 5 }
const IMAGE: ParamSpec = { type: 'string', required: true }
const ASPECT: ParamSpec = { type: 'string', enum: ['16:9', '9:16', '1:1'], default: '16:9' }

const i2v = {
  prompt: PROMPT,
  negative_prompt: NEGATIVE,
  image: IMAGE,
  guidance_scale: GUIDANCE,
  duration: DURATION,
}
const t2v = {
  prompt: PROMPT,
  negative_prompt: NEGATIVE,
  aspect_ratio: ASPECT,
  guidance_scale: GUIDANCE,
  duration: DURATION,
}

function model(
  spec: Omit<ModelSpec, 'alias' | 'aliases' | 'durations' | 'fps'> & { aliases?: string[] },
): ModelSpec {
  return {
    durations: [5, 10],
    fps: 24,
    ...spec,
    alias: spec.id.replace(/^kwaivgi\//, ''),
    aliases: spec.aliases ?? [],
  }
}

export const MODELS: readonly ModelSpec[] = [
  model({
    id: 'kwaivgi/kling-v2.1-i2v-master',
    mode: 'i2v',
    params: i2v,
    pricePer5s: 1.3,
    priceSource: 'documented',
    outputHeight: 1080,
  }),
  model({
    id: 'kwaivgi/kling-v2.1-t2v-master',
    mode: 't2v',
    params: t2v,
    pricePer5s: 1.3,
    priceSource: 'inferred',
    outputHeight: 1080,
  }),
  model({
    id: 'kwaivgi/kling-v2.0-i2v-master',
    mode: 'i2v',
    params: { ...i2v, end_image: { type: 'string' } },
    endFrameField: 'end_image',
    pricePer5s: 1.3,
    priceSource: 'documented',
    outputHeight: 1080,
  }),
  model({
    id: 'kwaivgi/kling-v2.0-t2v-master',
    mode: 't2v',
    params: { prompt: PROMPT, negative_prompt: NEGATIVE, aspect_ratio: ASPECT, duration: DURATION },
    pricePer5s: 1.3,
    priceSource: 'inferred',
    outputHeight: 1080,
  }),
  model({
    id: 'kwaivgi/kling-v2.1-i2v-pro',
    mode: 'i2v',
    params: i2v,
    pricePer5s: 0.45,
    priceSource: 'documented',
    outputHeight: 1080,
  }),
  model({
    id: 'kwaivgi/kling-v2.1-i2v-standard',
    mode: 'i2v',
    params: i2v,
    pricePer5s: 0.28,
    priceSource: 'inferred',
    outputHeight: 720,
  }),
  model({
    id: 'kwaivgi/kling-v2.1-i2v-pro/start-end-frame',
    aliases: ['kling-v2.1-i2v-pro-start-end-frame'],
    mode: 'i2v',
    params: { ...i2v, end_image: { type: 'string', required: true } },
    endFrameField: 'end_image',
    endFrameRequired: true,
    pricePer5s: 0.45,
    priceSource: 'documented',
    outputHeight: 1080,
  }),
  model({
    id: 'kwaivgi/kling-v2.5-turbo-pro/image-to-video',
    aliases: ['kling-v2.5-turbo-pro-i2v'],
    mode: 'i2v',
    params: { ...i2v, last_image: { type: 'string' } },
    endFrameField: 'last_image',
    pricePer5s: 0.35,
    priceSource: 'documented',
    outputHeight: 1080,
  }),
  model({
    id: 'kwaivgi/kling-v2.5-turbo-pro/text-to-video',
    aliases: ['kling-v2.5-turbo-pro-t2v'],
    mode: 't2v',
    params: t2v,
    pricePer5s: 0.35,
    priceSource: 'documented',
    outputHeight: 1080,
  }),
  model({
    id: 'kwaivgi/kling-v2.5-turbo-std/image-to-video',
    aliases: ['kling-v2.5-turbo-std-i2v'],
    mode: 'i2v',
    params: i2v,
    pricePer5s: 0.21,
    priceSource: 'inferred',
    outputHeight: 720,
  }),
]

const byName = new Map<string, ModelSpec>()
for (const m of MODELS) for (const name of [m.id, m.alias, ...m.aliases]) byName.set(name, m)

/** Looks a model up by full id, alias or extra alias. */
export function findModel(name: string): ModelSpec | undefined {
  return byName.get(name)
}

/** Every name a model can be written as, for "did you mean" suggestions. */
export function modelNames(): string[] {
  return [...byName.keys()]
}

/** USD for one clip of `duration` seconds: per-second rate, 5 s minimum, rounded to the cent. */
export function priceOf(model: ModelSpec, duration: number): number {
  const billed = Math.max(5, Math.ceil(duration))
  return Math.round((model.pricePer5s / 5) * billed * 100) / 100
}
