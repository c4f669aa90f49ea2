import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, visit } from 'yaml'
import type { Issue, IssueCode, Severity } from './issue.ts'
import { composeDocument, MAX_NESTING } from './yaml-compose.ts'

/**
 * Aliases can expand exponentially ("billion laughs"); a storyboard has no need
 * for more than a handful of them.
 */
const MAX_ALIAS_COUNT = 100

export type PathSegment = string | number

/** A parsed storyboard file that can say where any value in it was written. */
export interface YamlSource {
  readonly file: string
  readonly doc: Document.Parsed
  /** The document as plain data; undefined when it could not be built. */
  readonly data: unknown
  /** Position of the value at `path` (or of its key, with `at: 'key'`), falling back to the nearest ancestor found. */
  locate(path: readonly PathSegment[], at?: 'key' | 'value'): { line: number; col: number }
  issue(
    code: IssueCode,
    path: readonly PathSegment[],
    message: string,
    options?: { at?: 'key' | 'value'; severity?: Severity },
  ): Issue
}

const YAML_CODES: Readonly<Record<string, IssueCode>> = {
  DUPLICATE_KEY: 'CORE_YAML_DUPLICATE_KEY',
  TAB_AS_INDENT: 'CORE_YAML_TAB',
  MULTIPLE_DOCS: 'CORE_YAML_MULTIPLE_DOCUMENTS',
  // yaml's name for the stack overflow it catches; the depth check before composing should leave none.
  RESOURCE_EXHAUSTION: 'CORE_YAML_TOO_DEEP',
}

/** Parses YAML text, collecting every syntax error and warning with its position. */
export function parseYamlSource(
  text: string,
  file: string,
): { source: YamlSource; issues: Issue[]; fatal: boolean } {
  const lineCounter = new LineCounter()
  const { doc, tooDeep } = composeDocument(text, lineCounter)
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, col }
  }
  const issues: Issue[] = []
  if (tooDeep !== undefined) {
    const message = `lists and mappings nest more than ${MAX_NESTING} levels deep here; a storyboard needs four at most, so this is not a storyboard`
    issues.push({ code: 'CORE_YAML_TOO_DEEP', severity: 'error', file, ...position(tooDeep), message })
  }
  for (const error of doc.errors) {
    const code = YAML_CODES[error.code] ?? 'CORE_YAML_SYNTAX'
    // yaml's range for a duplicate key is one character: take the key up to its colon.
    const excerpt = /^([^:\n]*)/.exec(text.slice(error.pos[0]))?.[1] ?? ''
    issues.push({
      code,
      severity: 'error',
      file,
      ...position(error.pos[0]),
      message: yamlMessage(error.code, error.message, excerpt),
    })
  }
  for (const warning of doc.warnings) {
    issues.push({
      code: 'CORE_YAML_WARNING',
      severity: 'warning',
      file,
      ...position(warning.pos[0]),
      message: warning.message,
    })
  }
  // A duplicate key leaves a usable document; any other error makes the rest guesswork.
  const fatal = tooDeep !== undefined || doc.errors.some((error) => error.code !== 'DUPLICATE_KEY')

  let data: unknown
  if (!fatal) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
    } catch (cause) {
      if (!(cause instanceof ReferenceError)) throw cause
      issues.push({
        code: 'CORE_YAML_ALIAS',
        severity: 'error',
        file,
        ...position(firstAliasOffset(doc)),
        message: `too many alias expansions (more than ${MAX_ALIAS_COUNT}); a storyboard does not need anchors that expand like this, write the values out`,
      })
    }
  }

  const locate = (path: readonly PathSegment[], at: 'key' | 'value' = 'value') =>
    position(nodeOffset(doc, path, at))
  const source: YamlSource = {
    file,
    doc,
    data,
    locate,
    issue: (code, path, message, options = {}) => ({
      code,
      severity: options.severity ?? 'error',
      file,
      ...locate(path, options.at),
      message,
    }),
  }
  return { source, issues, fatal: fatal || data === undefined }
}

function yamlMessage(code: string, message: string, excerpt: string): string {
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'tab used for indentation; YAML indents with spaces only'
    case 'DUPLICATE_KEY':
      return `duplicate key "${excerpt.trim()}": a key may appear once in a mapping, remove or rename one`
    case 'MULTIPLE_DOCS':
      return 'a second YAML document starts here; a storyboard is one document, so remove the "---" or "..." line before it and what follows, or move that to a file of its own'
    case 'RESOURCE_EXHAUSTION':
      return 'lists and mappings nest too deeply here; a storyboard needs four levels at most'
    default:
      return message
  }
}

function firstAliasOffset(doc: Document.Parsed): number {
  let offset = 0
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0] ?? 0
      return visit.BREAK
    },
  })
  return offset
}

/** Offset of the node at `path`; for `at: 'key'` the key of the last segment. */
function nodeOffset(doc: Document.Parsed, path: readonly PathSegment[], at: 'key' | 'value'): number {
  let node: unknown = doc.contents
  let offset = (node as Node | null)?.range?.[0] ?? 0
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment))
      if (!pair) return offset
      const keyOffset = (pair.key as Node).range?.[0] ?? offset
      if (last && at === 'key') return keyOffset
      node = pair.value
      offset = (node as Node | null)?.range?.[0] ?? keyOffset
    } else if (isSeq(node)) {
      node = node.items[Number(segment)]
      if (node === undefined) return offset
      offset = (node as Node | null)?.range?.[0] ?? offset
    } else {
      return offset
    }
  }
  return offset
}
