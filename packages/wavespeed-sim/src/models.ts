/**
 * The simulator's own copy of WaveSpeed's Kling model table, written from the API
 * notes (`shared/wavespeed-api.md` §7) and the crawled model pages (`shared/seeds/`),
 * never from storyreel's catalog: the two are kept apart so that a contract test
 * catches the day they disagree.
 */

export interface SimParam {
  readonly type: 'string' | 'number' | 'integer'
  readonly required?: boolean
  readonly min?: number
  readonly max?: number
  readonly maxLength?: number
  readonly enum?: readonly (string | number)[]
  readonly default?: string | number
}

/** How big the model's output is: a fixed height (width from the aspect), or a fixed area that follows the input's aspect. */
export type OutputSize = { readonly height: number } | { readonly pixels: number }

export interface SimModel {
  /** The path after `/api/v3/`. */
  readonly id: string
  readonly name: string
  readonly mode: 'i2v' | 't2v'
  /** Every body field the endpoint's entry whitelist lets through; anything else is dropped. */
  readonly params: Readonly<Record<string, SimParam>>
  /** The field carrying the end frame, when the model takes one. */
  readonly endFrameField?: 'end_image' | 'last_image'
  /** USD for 5 s; billed per second with a 5 s minimum (§7 "Pricing rule"). */
  readonly pricePer5s: number
  readonly output: OutputSize
  /** Not documented; Kling renders 24 fps (§7 "Output resolution and fps"). */
  readonly fps: number
}

// §7.1: the parameters common to Kling 2.0 / 2.1 / 2.5.
const PROMPT: SimParam = { type: 'string', required: true, maxLength: 2500 }
const NEGATIVE: SimParam = { type: 'string', maxLength: 2500 }
const IMAGE: SimParam = { type: 'string', required: true }
const GUIDANCE: SimParam = { type: 'number', min: 0, max: 1, default: 0.5 }
const DURATION: SimParam = { type: 'integer', enum: [5, 10], default: 5 }
const ASPECT: SimParam = { type: 'string', enum: ['16:9', '9:16', '1:1'], default: '16:9' }

const I2V = {
  prompt: PROMPT,
  negative_prompt: NEGATIVE,
  image: IMAGE,
  guidance_scale: GUIDANCE,
  duration: DURATION,
}
const T2V = {
  prompt: PROMPT,
  negative_prompt: NEGATIVE,
  aspect_ratio: ASPECT,
  guidance_scale: GUIDANCE,
  duration: DURATION,
}
const P1080 = { height: 1080 }
const P720 = { height: 720 }

/**
 * §7.2, one row each. Where it found no price, a t2v master costs what its i2v
 * master does and 2.1 standard the inferred $0.28.
 */
export const SIM_MODELS: readonly SimModel[] = [
  {
    id: 'kwaivgi/kling-v2.0-i2v-master',
    name: 'Kling v2.0 I2V Master',
    mode: 'i2v',
    params: { ...I2V, end_image: { type: 'string' } },
    endFrameField: 'end_image',
    pricePer5s: 1.3,
    output: P1080,
    fps: 24,
  },
  // The table lists no guidance_scale for this one.
  {
    id: 'kwaivgi/kling-v2.0-t2v-master',
    name: 'Kling v2.0 T2V Master',
    mode: 't2v',
    params: { prompt: PROMPT, negative_prompt: NEGATIVE, aspect_ratio: ASPECT, duration: DURATION },
    pricePer5s: 1.3,
    output: P1080,
    fps: 24,
  },
  {
    id: 'kwaivgi/kling-v2.1-i2v-standard',
    name: 'Kling v2.1 I2V Standard',
    mode: 'i2v',
    params: I2V,
    pricePer5s: 0.28,
    output: P720,
    fps: 24,
  },
  {
    id: 'kwaivgi/kling-v2.1-i2v-pro',
    name: 'Kling v2.1 I2V Pro',
    mode: 'i2v',
    params: I2V,
    pricePer5s: 0.45,
    output: P1080,
    fps: 24,
  },
  {
    id: 'kwaivgi/kling-v2.1-i2v-master',
    name: 'Kling v2.1 I2V Master',
    mode: 'i2v',
    params: I2V,
    pricePer5s: 1.3,
    output: P1080,
    fps: 24,
  },
  {
    id: 'kwaivgi/kling-v2.1-t2v-master',
    name: 'Kling v2.1 T2V Master',
    mode: 't2v',
    params: T2V,
    pricePer5s: 1.3,
    output: P1080,
    fps: 24,
  },
  // "Effectively required" end frame; about 2 MP following the input's aspect (1660x1244 measured).
  {
    id: 'kwaivgi/kling-v2.1-i2v-pro/start-end-frame',
    name: 'Kling v2.1 I2V Pro Start-End Frame',
    mode: 'i2v',
    params: { ...I2V, end_image: { type: 'string', required: true } },
    endFrameField: 'end_image',
    pricePer5s: 0.45,
    output: { pixels: 1920 * 1080 },
    fps: 24,
  },
  {
    id: 'kwaivgi/kling-v2.5-turbo-pro/image-to-video',
    name: 'Kling v2.5 Turbo Pro I2V',
    mode: 'i2v',
    params: { ...I2V, last_image: { type: 'string' } },
    endFrameField: 'last_image',
    pricePer5s: 0.35,
    output: P1080,
    fps: 24,
  },
  {
    id: 'kwaivgi/kling-v2.5-turbo-pro/text-to-video',
    name: 'Kling v2.5 Turbo Pro T2V',
    mode: 't2v',
    params: T2V,
    pricePer5s: 0.35,
    output: P1080,
    fps: 24,
  },
  // Note 1 of §7: the $0.35 on its page is copied from Pro; "25% lower than 2.1 Std" gives $0.21, as third-party code books it.
  {
    id: 'kwaivgi/kling-v2.5-turbo-std/image-to-video',
    name: 'Kling v2.5 Turbo Std I2V',
    mode: 'i2v',
    params: I2V,
    pricePer5s: 0.21,
    output: P720,
    fps: 24,
  },
]

const byId = new Map(SIM_MODELS.map((model) => [model.id, model]))

/** The model at `POST /api/v3/{id}`; only exact ids, as the API routes them. */
export function modelById(id: string): SimModel | undefined {
  return byId.get(id)
}

/** USD for a clip of `duration` seconds: per-second rate, 5 s minimum, whole seconds, to the cent. */
export function priceFor(model: SimModel, duration: number): number {
  const billed = Math.max(5, Math.ceil(duration))
  return Math.round((model.pricePer5s / 5) * billed * 100) / 100
}

/** The fields that carry input images, start first. */
export function imageFields(model: SimModel): string[] {
  return model.mode === 'i2v' ? ['image', ...(model.endFrameField ? [model.endFrameField] : [])] : []
}
