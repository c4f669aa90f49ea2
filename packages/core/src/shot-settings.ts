import { findModel, type ModelSpec } from './catalog.ts'
import type { RawShotDefaults } from './storyboard-types.ts'

/** Where a shot's effective setting was written: on the shot, in `defaults`, or nowhere (the model's default). */
export type SettingSource = 'shot' | 'defaults' | 'model'

/** A value a shot inherits from `defaults` unless it sets its own. */
export function inherited<K extends keyof RawShotDefaults>(
  key: K,
  shot: RawShotDefaults,
  defaults: RawShotDefaults | undefined,
): { value: RawShotDefaults[K]; from: SettingSource } | undefined {
  if (shot[key] !== undefined) return { value: shot[key], from: 'shot' }
  if (defaults?.[key] !== undefined) return { value: defaults[key], from: 'defaults' }
  return undefined
}

/** The shot's model, if its name (own or inherited) is in the catalog. */
export function shotModel(
  shot: RawShotDefaults,
  defaults: RawShotDefaults | undefined,
): ModelSpec | undefined {
  const name = inherited('model', shot, defaults)?.value
  return name === undefined ? undefined : findModel(name)
}

/** Seconds of clip the shot asks for: own, inherited, else the model's default (5). */
export function shotDuration(
  shot: RawShotDefaults,
  defaults: RawShotDefaults | undefined,
  model: ModelSpec | undefined,
): number {
  const fallback = model?.params.duration?.default
  return inherited('duration', shot, defaults)?.value ?? (typeof fallback === 'number' ? fallback : 5)
}

/** The prompt sent to the model: the shot's, then the storyboard's style. */
export function composePrompt(prompt: string, style: string | undefined): string {
  const trimmedStyle = style?.trim()
  const trimmedPrompt = prompt.trim()
  if (!trimmedStyle) return trimmedPrompt
  // A prompt written as a sentence keeps its full stop; a comma after it would read "horizon., cinematic".
  const separator = /[.!?;:,]$/.test(trimmedPrompt) ? ' ' : ', '
  return `${trimmedPrompt}${separator}${trimmedStyle}`
}

/** Seconds a crossfade or fade-black lasts when the storyboard does not say. */
export const DEFAULT_TRANSITION_SECONDS = 0.5
