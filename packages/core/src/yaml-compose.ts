import { Composer, type CST, type Document, type LineCounter, Parser, YAMLParseError } from 'yaml'

/**
 * A storyboard nests four collections deep (the top, shots, a shot, its image);
 * yaml's composer, `toJS` and the checks recurse once per level and overflow the
 * stack somewhere past a thousand, so anything deeper than this is refused first.
 */
export const MAX_NESTING = 100

/**
 * Offset of the first collection nested deeper than `limit`, walking the CST
 * without recursion (so any depth is safe to measure); undefined when none is.
 */
export function tooDeepAt(tokens: readonly CST.Token[], limit = MAX_NESTING): number | undefined {
  const pending: { token: CST.Token; depth: number }[] = tokens.map((token) => ({ token, depth: 0 }))
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { token, depth } = next
    switch (token.type) {
      case 'document':
        if (token.value) pending.push({ token: token.value, depth })
        break
      case 'block-map':
      case 'block-seq':
      case 'flow-collection':
        if (depth + 1 > limit) return token.offset
        for (const item of token.items) {
          if ('key' in item && item.key) pending.push({ token: item.key, depth: depth + 1 })
          if (item.value) pending.push({ token: item.value, depth: depth + 1 })
        }
        break
      default:
        break
    }
  }
  return undefined
}

/**
 * `parseDocument` in its two steps, so the CST's depth is measured before the
 * composer recurses into it. Returns the first document (a second one is an
 * error at its start, as `parseDocument` reports it) and where the nesting
 * first passes MAX_NESTING, if it does (the document is then left empty).
 */
export function composeDocument(
  text: string,
  lineCounter: LineCounter,
): { doc: Document.Parsed; tooDeep?: number } {
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text)]
  const tooDeep = tooDeepAt(tokens)
  // The storyboard language is YAML 1.2's core schema, as editors read it, even under a
  // %YAML 1.1 directive (whose schema would apply merge keys and read `yes` as true).
  const composer = new Composer({ prettyErrors: false, uniqueKeys: true, schema: 'core', merge: false })
  const docs = composer.compose(tooDeep === undefined ? tokens : [], true, text.length)
  const doc = docs.next().value as Document.Parsed
  const second = docs.next()
  if (!second.done) {
    const range = (second.value as Document.Parsed).range
    doc.errors.push(
      new YAMLParseError([range[0], range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents'),
    )
  }
  return tooDeep === undefined ? { doc } : { doc, tooDeep }
}
