import { formatIssue, type Issue } from './issue.ts'

export type CoreErrorCode =
  /** A storyboard with errors; `issues` lists them. */
  | 'CORE_INVALID_STORYBOARD'
  /** `setPick`: no shot has the id. */
  | 'CORE_UNKNOWN_SHOT'
  /** `setPick`: the take is not one of the shot's (1..takes). */
  | 'CORE_PICK_OUT_OF_RANGE'
  /** `setPick`: the edit would have changed more than the pick, so nothing was written. */
  | 'CORE_PICK_EDIT_FAILED'

/** Thrown by the throwing variants of the storyboard API; carries every finding. */
export class CoreError extends Error {
  override readonly name = 'CoreError'
  readonly code: CoreErrorCode
  readonly issues: readonly Issue[]

  constructor(
    code: CoreErrorCode,
    message: string,
    options: { cause?: unknown; issues?: readonly Issue[] } = {},
  ) {
    super(message, { cause: options.cause })
    this.code = code
    this.issues = options.issues ?? []
  }
}

/** The error `planStoryboard` throws for a storyboard with errors: the message lists them all. */
export function invalidStoryboardError(file: string, issues: readonly Issue[]): CoreError {
  const errors = issues.filter((issue) => issue.severity === 'error')
  const listing = errors.map(formatIssue).join('\n')
  return new CoreError(
    'CORE_INVALID_STORYBOARD',
    `${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix them and run again:\n${listing}`,
    { issues },
  )
}
