import { resolve } from 'node:path'
import { findModel, modelNames, MODELS, type ModelSpec } from './catalog.ts'
import { checkIds, createAfterCheck, label } from './id-checks.ts'
import { type ImageFacts, imageProblems } from './image-check.ts'
import { looksLikeUrl } from './image-ref.ts'
import type { Issue } from './issue.ts'
import { checkOutput } from './output-checks.ts'
import { checkPick } from './pick-check.ts'
import { composePrompt, inherited, shotDuration } from './shot-settings.ts'
import type { RawShot, RawShotDefaults, RawStoryboard } from './storyboard-types.ts'
import { didYouMean } from './suggest.ts'
import type { PathSegment, YamlSource } from './yaml-source.ts'

export interface CheckContext {
  readonly source: YamlSource
  /** Folder relative paths in the storyboard resolve against. */
  readonly baseDir: string
  readonly inspectImage: (path: string) => Promise<ImageFacts>
  /** Shots (by index) the schema rejected: only their id takes part in the checks. */
  readonly rejectedShots: ReadonlySet<number>
  /** False when `defaults` or `style` broke the schema, so nothing that inherits them can be judged. */
  readonly defaultsUsable: boolean
}

/** The params a shot may set that some models do not take. */
const OPTIONAL_PARAMS = ['guidance_scale', 'negative_prompt', 'aspect_ratio'] as const

/**
 * Checks what the schema cannot: the storyboard against the model catalog,
 * the chaining rules, and the image files. Returns every finding.
 */
export async function checkStoryboard(storyboard: RawStoryboard, context: CheckContext): Promise<Issue[]> {
  const { source } = context
  const issues: Issue[] = []
  const defaults = context.defaultsUsable ? storyboard.defaults : undefined
  const shots = Array.isArray(storyboard.shots) ? storyboard.shots : []

  if (defaults?.model !== undefined && !findModel(defaults.model)) {
    issues.push(unknownModel(source, ['defaults', 'model'], defaults.model))
  }

  const ids = checkIds(shots, source)
  issues.push(...ids.issues)
  const checkAfter = createAfterCheck(ids.firstIndexOf, source)

  const pending: Promise<Issue[]>[] = []
  shots.forEach((shot, index) => {
    if (context.rejectedShots.has(index)) return
    issues.push(...checkAfter(shot, index))
    if (!context.defaultsUsable) return
    issues.push(...checkShotAgainstModel(storyboard, shot, index, defaults, source))
    issues.push(...checkPick(shot, index, defaults, source))
    for (const key of ['image', 'end_image'] as const) {
      const value = shot[key]
      if (typeof value === 'string') pending.push(checkImage(value, ['shots', index, key], context))
    }
  })
  if (context.defaultsUsable) issues.push(...unusedDefaults(shots, defaults, context.rejectedShots, source))
  issues.push(...(await checkOutput(storyboard.output, context)))
  for (const found of await Promise.all(pending)) issues.push(...found)
  return issues
}

function unknownModel(source: YamlSource, path: PathSegment[], name: string): Issue {
  const hint = didYouMean(name, modelNames()) || '; `storyreel models` lists the models'
  return source.issue('CORE_UNKNOWN_MODEL', path, `unknown model "${name}"${hint}`)
}

/** A model of the other mode with the same version, to suggest ("...-t2v-master" for "...-i2v-master"). */
function counterpart(model: ModelSpec): ModelSpec | undefined {
  const swapped =
    model.mode === 't2v'
      ? model.id.replace('t2v', 'i2v').replace('text-to-video', 'image-to-video')
      : model.id.replace('i2v', 't2v').replace('image-to-video', 'text-to-video')
  return findModel(swapped) ?? MODELS.find((m) => m.mode !== model.mode)
}

function checkShotAgainstModel(
  storyboard: RawStoryboard,
  shot: RawShot,
  index: number,
  defaults: RawShotDefaults | undefined,
  source: YamlSource,
): Issue[] {
  const at = (...rest: PathSegment[]) => ['shots', index, ...rest]
  const modelSetting = inherited('model', shot, defaults)
  if (modelSetting?.value === undefined) {
    return [
      source.issue(
        'CORE_NO_MODEL',
        at('id'),
        `${label(shot, index)} has no model; set model on the shot or in defaults (e.g. model: kling-v2.1-i2v-master)`,
      ),
    ]
  }
  const model = findModel(modelSetting.value)
  const issues: Issue[] = []
  if (!model) {
    if (modelSetting.from === 'shot') issues.push(unknownModel(source, at('model'), modelSetting.value))
    issues.push(...checkTrim(shot, shotDuration(shot, defaults, undefined), index, source))
    return issues
  }
  const name = model.alias
  const dropped = 'WaveSpeed would drop it silently and still bill the shot'

  for (const key of OPTIONAL_PARAMS) {
    if (shot[key] === undefined || key in model.params) continue
    const why = key === 'aspect_ratio' ? '; an image-to-video shot takes the shape of its start image' : ''
    issues.push(
      source.issue(
        'CORE_PARAM_NOT_ACCEPTED',
        at(key),
        `${name} does not take ${key} (${dropped}); remove it${why}`,
        { at: 'key' },
      ),
    )
  }
  if (model.mode === 't2v' && shot.image !== undefined) {
    const other = counterpart(model)
    issues.push(
      source.issue(
        'CORE_PARAM_NOT_ACCEPTED',
        at('image'),
        `${name} is a text-to-video model and takes no start image; remove image, or use an image-to-video model${other ? ` such as ${other.alias}` : ''}`,
        { at: 'key' },
      ),
    )
  }
  if (shot.end_image !== undefined && !model.endFrameField) {
    const withEnd = MODELS.filter((m) => m.endFrameField && m.mode === 'i2v').map((m) => m.alias)
    issues.push(
      source.issue(
        'CORE_PARAM_NOT_ACCEPTED',
        at('end_image'),
        `${name} takes no end image (${dropped}); remove end_image, or use a model with an end frame: ${withEnd.join(', ')}`,
        {
          at: 'key',
        },
      ),
    )
  }
  if (model.endFrameRequired && shot.end_image === undefined) {
    issues.push(
      source.issue(
        'CORE_END_IMAGE_REQUIRED',
        at('id'),
        `${name} needs an end image; add end_image: path/to/last-frame.jpg to ${label(shot, index)}`,
      ),
    )
  }
  if (model.mode === 'i2v' && shot.image === undefined && index === 0) {
    const other = counterpart(model)
    issues.push(
      source.issue(
        'CORE_NO_START_IMAGE',
        at('id'),
        `${label(shot, index)} is the first shot and uses the image-to-video model ${name}, so it needs a start image: add image: images/start.jpg (a file next to the storyboard or an https URL)${other?.mode === 't2v' ? `, or open with a text-to-video model such as ${other.alias}` : ''}`,
      ),
    )
  }

  const duration = shotDuration(shot, defaults, model)
  if (!model.durations.includes(duration)) {
    const from = inherited('duration', shot, defaults)?.from
    const path = from === 'defaults' ? ['defaults', 'duration'] : at('duration')
    issues.push(
      source.issue(
        'CORE_DURATION',
        path,
        `${name} renders clips of ${model.durations.join(' or ')} seconds, not ${duration}`,
      ),
    )
  }

  const limit = model.params.prompt?.maxLength ?? 2500
  const prompt = composePrompt(shot.prompt ?? '', storyboard.style)
  if (shot.prompt !== undefined && prompt.length > limit) {
    const lengths = storyboard.style?.trim()
      ? `${shot.prompt.trim().length} characters, ${prompt.length} with the style appended`
      : `${prompt.length} characters`
    issues.push(
      source.issue(
        'CORE_PROMPT_TOO_LONG',
        at('prompt'),
        `prompt is ${lengths}; ${name} takes at most ${limit}, shorten the prompt${storyboard.style ? ' or the style' : ''}`,
      ),
    )
  }

  const negative = inherited('negative_prompt', shot, defaults)
  const negativeLimit = model.params.negative_prompt?.maxLength
  if (negative?.value !== undefined && negativeLimit !== undefined && negative.value.length > negativeLimit) {
    const path = negative.from === 'defaults' ? ['defaults', 'negative_prompt'] : at('negative_prompt')
    issues.push(
      source.issue(
        'CORE_NEGATIVE_PROMPT_TOO_LONG',
        path,
        `negative_prompt is ${negative.value.length} characters; ${name} takes at most ${negativeLimit}`,
      ),
    )
  }

  issues.push(...checkTrim(shot, duration, index, source))
  return issues
}

function checkTrim(shot: RawShot, duration: number, index: number, source: YamlSource): Issue[] {
  if (!shot.trim) return []
  const { start = 0, end } = shot.trim
  const path = (key: string) => ['shots', index, 'trim', key]
  if (start >= duration)
    return [
      source.issue('CORE_TRIM', path('start'), `trim start ${start} s is not inside the ${duration} s clip`),
    ]
  if (end === undefined) return []
  if (end > duration)
    return [
      source.issue('CORE_TRIM', path('end'), `trim end ${end} s is past the end of the ${duration} s clip`),
    ]
  if (end <= start)
    return [source.issue('CORE_TRIM', path('end'), `trim end ${end} s must come after trim start ${start} s`)]
  return []
}

async function checkImage(value: string, path: PathSegment[], context: CheckContext): Promise<Issue[]> {
  if (looksLikeUrl(value)) {
    if (value.startsWith('https://')) return []
    return [
      context.source.issue(
        'CORE_IMAGE_URL',
        path,
        `image URL "${value}" must use https (WaveSpeed fetches it from the internet)`,
      ),
    ]
  }
  const absolute = resolve(context.baseDir, value)
  const facts = await context.inspectImage(absolute)
  return imageProblems(facts, value, absolute).map((problem) =>
    context.source.issue(problem.code, path, problem.message),
  )
}

/** A default no shot ends up using is probably a mistake (a typo'd model, a param meant for another model). */
function unusedDefaults(
  shots: readonly RawShot[],
  defaults: RawShotDefaults | undefined,
  rejected: ReadonlySet<number>,
  source: YamlSource,
): Issue[] {
  if (!defaults) return []
  const issues: Issue[] = []
  for (const key of OPTIONAL_PARAMS) {
    if (defaults[key] === undefined) continue
    const used = shots.some((shot, index) => {
      if (rejected.has(index)) return true // unknown, so no warning
      if (shot[key] !== undefined) return false
      const model = findModel(inherited('model', shot, defaults)?.value ?? '')
      return model === undefined || key in model.params
    })
    if (!used) {
      issues.push(
        source.issue(
          'CORE_DEFAULT_UNUSED',
          ['defaults', key],
          `no shot uses defaults.${key}: every shot sets its own or has a model that does not take it`,
          { at: 'key', severity: 'warning' },
        ),
      )
    }
  }
  return issues
}
