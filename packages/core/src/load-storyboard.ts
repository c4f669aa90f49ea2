import { createHash } from 'node:crypto'
import { dirname, resolve } from 'node:path'
import { buildPlan } from './build-plan.ts'
import { invalidStoryboardError } from './errors.ts'
import { createImageInspector, type ImageFacts } from './image-check.ts'
import { hasErrors, type Issue } from './issue.ts'
import type { Plan } from './plan-types.ts'
import { schemaIssues } from './schema-issues.ts'
import { checkStoryboard } from './semantic-checks.ts'
import { readStoryboardFile } from './storyboard-file.ts'
import { schemaErrors } from './storyboard-schema.ts'
import type { RawStoryboard } from './storyboard-types.ts'
import { parseYamlSource } from './yaml-source.ts'

/** A plan (with any warnings), or every finding that stops one. */
export type LoadResult =
  | { readonly ok: true; readonly plan: Plan; readonly issues: readonly Issue[] }
  | { readonly ok: false; readonly issues: readonly Issue[] }

export interface LoadOptions {
  /** Relative storyboard paths resolve against this. Default: `process.cwd()`. */
  readonly cwd?: string
  /** Shares image reads across several storyboards (e.g. `validate a.yaml b.yaml`). */
  readonly inspectImage?: (path: string) => Promise<ImageFacts>
}

/**
 * Reads, checks and plans a storyboard file. Never throws for anything wrong
 * with the file: every problem comes back as an issue with its position.
 *
 * @param file path as the user wrote it (issues repeat it as is)
 * @example
 * const result = await loadStoryboard('storyboards/storm-at-sea.yaml')
 * if (result.ok) console.log(result.plan.shots.length)
 * else for (const issue of result.issues) console.error(formatIssue(issue))
 */
export async function loadStoryboard(file: string, options: LoadOptions = {}): Promise<LoadResult> {
  const absolute = resolve(options.cwd ?? process.cwd(), file)
  const read = await readStoryboardFile(file, absolute)
  if (!read.ok) return read
  return checkAndPlan(read, file, absolute, options.inspectImage ?? createImageInspector())
}

/** Like `loadStoryboard`, but throws a `CoreError` (code CORE_INVALID_STORYBOARD, with `issues`) when it has errors. */
export async function planStoryboard(file: string, options: LoadOptions = {}): Promise<Plan> {
  const result = await loadStoryboard(file, options)
  if (!result.ok) throw invalidStoryboardError(file, result.issues)
  return result.plan
}

function byPosition(a: Issue, b: Issue): number {
  return a.line - b.line || a.col - b.col
}

/** One finding per place and message: inherited settings can trip the same check in many shots. */
function unique(issues: readonly Issue[]): Issue[] {
  const seen = new Set<string>()
  return issues.filter((issue) => {
    const key = `${issue.line}:${issue.col}:${issue.code}:${issue.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

async function checkAndPlan(
  { bytes, text }: { bytes: Buffer; text: string },
  file: string,
  absolute: string,
  inspectImage: (path: string) => Promise<ImageFacts>,
): Promise<LoadResult> {
  const { source, issues, fatal } = parseYamlSource(text, file)
  if (fatal) return { ok: false, issues: issues.sort(byPosition) }

  const data = source.data
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const got =
      data === null || data === undefined
        ? 'an empty document'
        : Array.isArray(data)
          ? 'a list'
          : 'a single value'
    issues.push(
      source.issue(
        'CORE_NOT_A_MAPPING',
        [],
        `a storyboard is a mapping with version: 1 and shots: at the top level, not ${got}`,
      ),
    )
    return { ok: false, issues }
  }

  const errors = schemaErrors(data)
  issues.push(...schemaIssues(errors, source))
  // A value of the wrong type makes its part unusable for the checks that follow;
  // other schema errors (unknown keys, ranges, enums) leave the types intact.
  const broken = errors
    .filter((error) => error.keyword === 'type' || error.keyword === 'anyOf')
    .map((error) => error.instancePath)
  const rejectedShots = new Set<number>()
  for (const path of broken) {
    const match = /^\/shots\/(\d+)/.exec(path)
    if (match) rejectedShots.add(Number(match[1]))
  }
  const shotsUsable = !broken.some((path) => path === '' || path === '/shots')
  const defaultsUsable = !broken.some((path) => path.startsWith('/defaults') || path.startsWith('/style'))
  const storyboard = data as RawStoryboard
  if (shotsUsable) {
    const context = { source, baseDir: dirname(absolute), inspectImage, rejectedShots, defaultsUsable }
    issues.push(...(await checkStoryboard(storyboard, context)))
  }

  const all = unique(issues).sort(byPosition)
  if (hasErrors(all)) return { ok: false, issues: all }
  const plan = buildPlan(storyboard, {
    file: absolute,
    hash: createHash('sha256').update(bytes).digest('hex'),
    shotLines: storyboard.shots.map((_, index) => source.locate(['shots', index]).line),
  })
  return { ok: true, plan, issues: all }
}
