import { basename, extname, resolve } from 'node:path'
import type { ModelSpec } from './catalog.ts'
import { priceOf } from './catalog.ts'
import { toImageRef } from './image-ref.ts'
import type { OutputSpec, Plan, PlannedShot, ShotParams, StartSource, Transition } from './plan-types.ts'
import {
  composePrompt,
  DEFAULT_TRANSITION_SECONDS,
  inherited,
  shotDuration,
  shotModel,
} from './shot-settings.ts'
import type { RawOutput, RawShot, RawShotDefaults, RawStoryboard, RawTransition } from './storyboard-types.ts'

export interface PlanSource {
  /** Absolute path of the storyboard. */
  readonly file: string
  /** sha256 of its bytes. */
  readonly hash: string
  /** 1-based line of each shot. */
  readonly shotLines: readonly number[]
}

/**
 * Resolves a storyboard that passed every check into the plan a render executes.
 * The chaining rules live here (README, "Chaining").
 */
export function buildPlan(storyboard: RawStoryboard, source: PlanSource): Plan {
  const baseDir = resolve(source.file, '..')
  const output = buildOutput(storyboard, source.file, baseDir)
  const shots: PlannedShot[] = []
  storyboard.shots.forEach((shot, index) => {
    const model = shotModel(shot, storyboard.defaults)
    if (!model) throw new Error(`shot "${shot.id}" has no known model; buildPlan needs a checked storyboard`)
    const previous = index > 0 ? storyboard.shots[index - 1] : undefined
    const start = startOf(shot, model, previous, baseDir)
    const dependsOn = start.kind === 'last-frame' ? [start.shot] : []
    const params = paramsOf(shot, storyboard.defaults, storyboard.style, model)
    shots.push({
      id: shot.id,
      index,
      model,
      params,
      start,
      ...(shot.end_image === undefined ? {} : { end: toImageRef(shot.end_image, baseDir) }),
      dependsOn,
      ...(shot.trim === undefined ? {} : { trim: { ...shot.trim } }),
      transition: transitionOf(shot.transition ?? storyboard.output?.transition),
      seam:
        previous !== undefined &&
        (start.kind === 'last-frame' || start.kind === 'end-image') &&
        start.shot === previous.id,
      takes: inherited('takes', shot, storyboard.defaults)?.value ?? 1,
      pick: shot.pick ?? 1,
      cost: priceOf(model, params.duration),
      line: source.shotLines[index] ?? 0,
    })
  })
  return {
    title: storyboard.title ?? basename(source.file, extname(source.file)),
    file: source.file,
    hash: source.hash,
    shots,
    output,
  }
}

/** The chaining rules: where a shot's first frame comes from. */
function startOf(
  shot: RawShot,
  model: ModelSpec,
  previous: RawShot | undefined,
  baseDir: string,
): StartSource {
  if (model.mode === 't2v') return { kind: 'none' }
  if (typeof shot.image === 'string') return toImageRef(shot.image, baseDir)
  if (shot.image !== undefined) return { kind: 'last-frame', shot: shot.image.after }
  if (!previous)
    throw new Error(`shot "${shot.id}" has nothing to start from; buildPlan needs a checked storyboard`)
  if (previous.end_image !== undefined)
    return { kind: 'end-image', shot: previous.id, image: toImageRef(previous.end_image, baseDir) }
  return { kind: 'last-frame', shot: previous.id }
}

/** Shot values over defaults, keeping only what the model takes (WaveSpeed bills ignored fields too). */
function paramsOf(
  shot: RawShot,
  defaults: RawShotDefaults | undefined,
  style: string | undefined,
  model: ModelSpec,
): ShotParams {
  const accepts = (key: string) => key in model.params
  const negative = inherited('negative_prompt', shot, defaults)?.value
  const guidance = inherited('guidance_scale', shot, defaults)?.value
  const aspectDefault = model.params.aspect_ratio?.default
  const aspect =
    inherited('aspect_ratio', shot, defaults)?.value ??
    (typeof aspectDefault === 'string' ? aspectDefault : undefined)
  return {
    prompt: composePrompt(shot.prompt, style),
    ...(accepts('negative_prompt') && negative !== undefined ? { negative_prompt: negative } : {}),
    ...(accepts('guidance_scale') && guidance !== undefined ? { guidance_scale: guidance } : {}),
    duration: shotDuration(shot, defaults, model),
    ...(accepts('aspect_ratio') && aspect !== undefined ? { aspect_ratio: aspect } : {}),
  }
}

function transitionOf(raw: RawTransition | undefined): Transition {
  if (!raw || raw.type === 'cut') return { type: 'cut', duration: 0 }
  return { type: raw.type, duration: raw.duration ?? DEFAULT_TRANSITION_SECONDS }
}

/** "Storm at Sea!" → "storm-at-sea". */
function kebab(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

function buildOutput(storyboard: RawStoryboard, file: string, baseDir: string): OutputSpec {
  const raw: RawOutput = storyboard.output ?? {}
  const name = kebab(storyboard.title ?? basename(file, extname(file))) || 'reel'
  return {
    file: raw.file ?? `${name}.mp4`,
    ...(raw.width === undefined ? {} : { width: raw.width }),
    ...(raw.height === undefined ? {} : { height: raw.height }),
    ...(raw.fps === undefined ? {} : { fps: raw.fps }),
    fit: raw.fit ?? 'contain',
    transition: transitionOf(raw.transition),
    ...(raw.audio === undefined
      ? {}
      : {
          audio: {
            file: resolve(baseDir, raw.audio.file),
            fadeOut: raw.audio.fade_out ?? 0,
            loudness: raw.audio.loudness ?? -14,
          },
        }),
  }
}
