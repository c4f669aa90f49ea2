/**
 * The storyboard as written, after it passed the JSON Schema
 * (storyboard.schema.json): snake_case keys, nothing resolved yet.
 */

export interface RawTransition {
  readonly type: 'cut' | 'crossfade' | 'fade-black'
  readonly duration?: number
}

export interface RawShotDefaults {
  readonly model?: string
  readonly duration?: number
  readonly guidance_scale?: number
  readonly negative_prompt?: string
  readonly aspect_ratio?: string
  readonly takes?: number
}

export interface RawShot extends RawShotDefaults {
  readonly id: string
  readonly prompt: string
  readonly notes?: string
  readonly pick?: number
  readonly image?: string | { readonly after: string }
  readonly end_image?: string
  readonly trim?: { readonly start?: number; readonly end?: number }
  readonly transition?: RawTransition
}

export interface RawOutput {
  readonly file?: string
  readonly width?: number
  readonly height?: number
  readonly fps?: number
  readonly fit?: 'contain' | 'cover'
  readonly transition?: RawTransition
  readonly audio?: { readonly file: string; readonly fade_out?: number; readonly loudness?: number }
}

export interface RawStoryboard {
  readonly version: 1
  readonly title?: string
  readonly description?: string
  readonly defaults?: RawShotDefaults
  readonly style?: string
  readonly output?: RawOutput
  readonly shots: readonly RawShot[]
}
