/** Stable identifiers of everything the storyboard checks can report. */
export type IssueCode =
  // the file itself
  | 'CORE_FILE_NOT_FOUND'
  | 'CORE_FILE_UNREADABLE'
  | 'CORE_FILE_TOO_LARGE'
  | 'CORE_FILE_NOT_REGULAR'
  | 'CORE_FILE_ENCODING'
  // YAML
  | 'CORE_YAML_SYNTAX'
  | 'CORE_YAML_DUPLICATE_KEY'
  | 'CORE_YAML_TAB'
  | 'CORE_YAML_ALIAS'
  | 'CORE_YAML_WARNING'
  | 'CORE_YAML_MULTIPLE_DOCUMENTS'
  | 'CORE_YAML_TOO_DEEP'
  | 'CORE_YAML_MERGE_KEY'
  | 'CORE_NOT_A_MAPPING'
  // JSON Schema
  | 'CORE_UNKNOWN_KEY'
  | 'CORE_MISSING_KEY'
  | 'CORE_TYPE'
  | 'CORE_ENUM'
  | 'CORE_OUT_OF_RANGE'
  | 'CORE_SCHEMA'
  // meaning
  | 'CORE_UNKNOWN_MODEL'
  | 'CORE_NO_MODEL'
  | 'CORE_PARAM_NOT_ACCEPTED'
  | 'CORE_DURATION'
  | 'CORE_PROMPT_TOO_LONG'
  | 'CORE_NEGATIVE_PROMPT_TOO_LONG'
  | 'CORE_DUPLICATE_ID'
  | 'CORE_AFTER_UNKNOWN'
  | 'CORE_AFTER_NOT_EARLIER'
  | 'CORE_NO_START_IMAGE'
  | 'CORE_END_IMAGE_REQUIRED'
  | 'CORE_TRIM'
  | 'CORE_PICK_OUT_OF_RANGE'
  | 'CORE_OUTPUT_SIZE'
  | 'CORE_DEFAULT_UNUSED'
  | 'CORE_IMAGE_NOT_FOUND'
  | 'CORE_IMAGE_UNREADABLE'
  | 'CORE_IMAGE_NOT_REGULAR'
  | 'CORE_IMAGE_FORMAT'
  | 'CORE_IMAGE_TOO_SMALL'
  | 'CORE_IMAGE_TOO_LARGE'
  | 'CORE_IMAGE_ASPECT'
  | 'CORE_IMAGE_DIMENSIONS'
  | 'CORE_IMAGE_URL'
  | 'CORE_AUDIO_NOT_FOUND'
  | 'CORE_AUDIO_UNREADABLE'
  | 'CORE_AUDIO_NOT_REGULAR'

export type Severity = 'error' | 'warning'

/** One finding about a storyboard, located at the YAML node it is about. */
export interface Issue {
  readonly code: IssueCode
  readonly severity: Severity
  /** The storyboard path as the caller gave it. */
  readonly file: string
  /** 1-based; 0 when the finding is about the whole file (e.g. it does not exist). */
  readonly line: number
  /** 1-based; 0 when `line` is 0. */
  readonly col: number
  readonly message: string
}

/**
 * The `file:line:col: message` form editors and terminals link to.
 * Warnings say so; whole-file findings have no position.
 */
export function formatIssue(issue: Issue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.col}` : issue.file
  const prefix = issue.severity === 'warning' ? 'warning: ' : ''
  return `${where}: ${prefix}${issue.message} [${issue.code}]`
}

/** True when at least one finding is an error (warnings alone leave a storyboard valid). */
export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((issue) => issue.severity === 'error')
}
