import { expect, test } from 'vitest'
import { findModel, MODELS, storyboardSchema } from '../src/index.ts'

type SchemaNode = { [key: string]: unknown; properties?: Record<string, SchemaNode>; description?: string }
const definitions = (storyboardSchema as { definitions: Record<string, SchemaNode> }).definitions

/** Every object schema in the tree, with its path. */
function objects(node: SchemaNode, path: string, out: [string, SchemaNode][] = []): [string, SchemaNode][] {
  if (node.properties) out.push([path, node])
  for (const [key, child] of Object.entries(node)) {
    if (child && typeof child === 'object') objects(child as SchemaNode, `${path}/${key}`, out)
  }
  return out
}

test('every object closes its keys and every property has a description, for editors', () => {
  for (const [path, node] of objects(storyboardSchema as SchemaNode, '#')) {
    expect(node.additionalProperties, path).toBe(false)
    for (const [key, property] of Object.entries(node.properties!)) {
      const described =
        property.description ??
        (property.$ref ? definitions[String(property.$ref).split('/').pop()!]?.description : undefined)
      expect(described, `${path}/properties/${key}`).toBeTruthy()
    }
  }
})

test("the schema's model names and aspect ratios agree with the catalog", () => {
  const examples = definitions.model!.examples as string[]
  for (const name of examples) expect(findModel(name), name).toBeDefined()
  expect(new Set(examples.map((name) => findModel(name)!.id))).toEqual(
    new Set(MODELS.map((model) => model.id)),
  )
  const aspectEnum = MODELS.find((model) => model.params.aspect_ratio)!.params.aspect_ratio!.enum
  expect(definitions.aspectRatio!.enum).toEqual(aspectEnum)
})
