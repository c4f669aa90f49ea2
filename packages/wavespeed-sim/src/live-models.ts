import { MODELS, findModel, priceOf, type ModelSpec, type ParamSpec } from '@storyreel/core'
import { HttpProblem } from './http-io.ts'

function propertySchema(spec: ParamSpec): Record<string, unknown> {
  return {
    type: spec.type,
    ...(spec.min !== undefined ? { minimum: spec.min } : {}),
    ...(spec.max !== undefined ? { maximum: spec.max } : {}),
    ...(spec.maxLength !== undefined ? { maxLength: spec.maxLength } : {}),
    ...(spec.enum ? { enum: spec.enum } : {}),
    ...(spec.default !== undefined ? { default: spec.default } : {}),
  }
}

function liveModel(model: ModelSpec, index: number, baseUrl: string): Record<string, unknown> {
  const names = Object.keys(model.params)
  return {
    model_id: model.id,
    name: model.alias,
    description: `Kling ${model.mode === 'i2v' ? 'image-to-video' : 'text-to-video'} (simulated, ${model.outputHeight}p, ${model.fps} fps).`,
    type: model.mode === 'i2v' ? 'image-to-video' : 'text-to-video',
    base_price: model.pricePer5s,
    formula: `${model.pricePer5s / 5} per second of output, 5 s minimum`,
    sort_order: index,
    api_schema: {
      api_schemas: [
        {
          type: 'model_run',
          method: 'POST',
          server: baseUrl,
          api_path: `/api/v3/${model.id}`,
          request_schema: {
            type: 'object',
            properties: Object.fromEntries(names.map((name) => [name, propertySchema(model.params[name]!)])),
            required: names.filter((name) => model.params[name]!.required),
            'x-order-properties': names,
          },
        },
      ],
    },
  }
}

/** `GET /api/v3/models`: the catalog in the live `LiveModel` shape. */
export function liveModels(baseUrl: string): Record<string, unknown>[] {
  return MODELS.map((model, index) => liveModel(model, index, baseUrl))
}

/** `POST /api/v3/model/price` with `{model_id, inputs}`. */
export function quotePrice(body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const model = typeof body.model_id === 'string' ? findModel(body.model_id) : undefined
  if (!model || model.id !== body.model_id) throw new HttpProblem(404, `Model not found: ${String(body.model_id)}. List models with GET /api/v3/models.`)
  const inputs = (typeof body.inputs === 'object' && body.inputs !== null ? body.inputs : {}) as Record<string, unknown>
  const duration = typeof inputs.duration === 'number' ? inputs.duration : Number(model.params.duration?.default ?? 5)
  const price = priceOf(model, duration)
  return { model_id: model.id, price, discounted_price: price, currency: 'USD' }
}
