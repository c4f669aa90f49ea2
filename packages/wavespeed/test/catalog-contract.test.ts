// storyreel's model catalog (core) against the simulator's own model table, which is
// written independently from the API notes: every field core sends must be taken and
// priced as core says, every field core leaves out must be dropped, and core's ranges
// must be exactly the API's. A disagreement here means one of the two tables is wrong.
import type { ModelSpec, ParamSpec } from '@storyreel/core'
import { MODELS, priceOf } from '@storyreel/core'
import type { Simulator } from '@storyreel/wavespeed-sim'
import { describe, expect, test } from 'vitest'
import type { WaveSpeedClient } from '../src/index.ts'
import { makePng, tempDir, withSimulator } from './helpers/sim.ts'

type Input = Record<string, unknown>

/** Body fields seen in WaveSpeed's docs for Kling models that some model here may not take. */
const KNOWN_FIELDS = [
  'seed',
  'cfg_scale',
  'sound',
  'end_image',
  'last_image',
  'aspect_ratio',
  'guidance_scale',
  'negative_prompt',
]

const imageFieldsOf = (model: ModelSpec) => ['image', ...(model.endFrameField ? [model.endFrameField] : [])]

/** Values core says the parameter takes, the first one the ordinary choice. */
function validValues(spec: ParamSpec): unknown[] {
  if (spec.enum) return [...spec.enum]
  if (spec.type === 'string')
    return spec.maxLength ? ['a lighthouse at dusk', 'x'.repeat(spec.maxLength)] : ['a lighthouse at dusk']
  const values = [spec.default, spec.min, spec.max].filter((value) => value !== undefined)
  return values.length > 0 ? [...new Set(values)] : [spec.type === 'integer' ? 1 : 0.5]
}

/** Values core says the parameter refuses: the wrong type, and just past each bound. */
function invalidValues(spec: ParamSpec): unknown[] {
  const step = spec.type === 'integer' ? 1 : 0.01
  const values: unknown[] = [spec.type === 'string' ? 42 : String(validValues(spec)[0])]
  if (spec.enum)
    values.push(typeof spec.enum[0] === 'number' ? Math.max(...(spec.enum as number[])) + 1 : 'not-an-option')
  if (spec.min !== undefined) values.push(spec.min - step)
  if (spec.max !== undefined) values.push(spec.max + step)
  if (spec.type === 'integer' && !spec.enum) values.push(0.5)
  if (spec.maxLength !== undefined) values.push('x'.repeat(spec.maxLength + 1))
  return values
}

async function setUp(): Promise<{ sim: Simulator; client: WaveSpeedClient; imageUrl: string }> {
  // Nothing leaves the queue, so no clip is rendered: only what the API accepts and charges matters here.
  const { sim, client } = await withSimulator({ queueDelayMs: 600_000, balance: 100_000 })
  const { downloadUrl } = await client.upload(await makePng(await tempDir(), 'frame.png', 'teal'))
  return { sim, client, imageUrl: downloadUrl }
}

/** Every field core lists for the model, each with its ordinary value. */
function fullInput(model: ModelSpec, imageUrl: string): Input {
  const images = imageFieldsOf(model)
  return Object.fromEntries(
    Object.entries(model.params).map(([name, spec]) => [
      name,
      images.includes(name) ? imageUrl : validValues(spec)[0],
    ]),
  )
}

/** Submits through the real client; returns what the simulator recorded and charged. */
async function submit(
  sim: Simulator,
  client: WaveSpeedClient,
  model: ModelSpec,
  input: Input,
): Promise<{ dropped: readonly string[]; charged: number }> {
  const before = sim.stats().charged
  await client.submit({ model: model.id, input })
  const submission = sim.submissions().at(-1)!
  expect(submission.status, JSON.stringify(input).slice(0, 200)).toBe(200)
  return { dropped: submission.dropped, charged: Math.round((sim.stats().charged - before) * 100) / 100 }
}

async function expectRefused(
  sim: Simulator,
  client: WaveSpeedClient,
  model: ModelSpec,
  input: Input,
  why: string,
): Promise<void> {
  const created = sim.stats().createdTotal
  const outcome = await client.submit({ model: model.id, input }).then(
    () => 'accepted',
    (error: unknown) => error,
  )
  expect(outcome, why).toMatchObject({ code: 'WS_BAD_REQUEST', httpStatus: 400 })
  expect(sim.stats().createdTotal, why).toBe(created)
}

const priceAt = (model: ModelSpec, input: Input) =>
  priceOf(model, Number(input.duration ?? model.params.duration?.default ?? 5))

describe.each(MODELS.map((model) => [model.id, model] as const))(
  "%s: core's catalog and the API agree",
  (_id, model) => {
    test('every field core lists is taken (nothing dropped) at every value core allows, and priced as core says', async () => {
      const { sim, client, imageUrl } = await setUp()
      const full = fullInput(model, imageUrl)
      const inputs: Input[] = [full]
      for (const [name, spec] of Object.entries(model.params)) {
        if (imageFieldsOf(model).includes(name)) continue
        for (const value of validValues(spec).slice(1)) inputs.push({ ...full, [name]: value })
        // What core treats as optional may be left out.
        if (!spec.required)
          inputs.push(Object.fromEntries(Object.entries(full).filter(([key]) => key !== name)))
      }
      for (const duration of model.durations) inputs.push({ ...full, duration })
      for (const input of inputs) {
        const { dropped, charged } = await submit(sim, client, model, input)
        expect(dropped, `${model.id} dropped fields core says it takes`).toEqual([])
        expect(charged, `${model.id} at ${String(input.duration)} s`).toBe(priceAt(model, input))
      }
    })

    test('fields core leaves out are dropped, and what core refuses the API refuses', async () => {
      const { sim, client, imageUrl } = await setUp()
      const full = fullInput(model, imageUrl)
      const foreign = [...new Set([...MODELS.flatMap((m) => Object.keys(m.params)), ...KNOWN_FIELDS])]
        .filter((name) => !(name in model.params))
        .sort()
      const extras = Object.fromEntries(
        foreign.map((name) => [
          name,
          name.endsWith('image') ? imageUrl : name === 'sound' ? true : name === 'aspect_ratio' ? '1:1' : 0.5,
        ]),
      )
      const { dropped, charged } = await submit(sim, client, model, { ...full, ...extras })
      expect([...dropped].sort(), `${model.id} took fields core says it does not`).toEqual(foreign)
      expect(charged).toBe(priceAt(model, full))

      for (const [name, spec] of Object.entries(model.params)) {
        if (spec.required)
          await expectRefused(
            sim,
            client,
            model,
            Object.fromEntries(Object.entries(full).filter(([key]) => key !== name)),
            `${model.id} without required ${name}`,
          )
        for (const value of invalidValues(spec))
          await expectRefused(
            sim,
            client,
            model,
            { ...full, [name]: value },
            `${model.id} ${name}=${JSON.stringify(value).slice(0, 20)}`,
          )
      }
    })
  },
)
