import { HttpProblem } from './http-io.ts'
import { modelById, priceFor, SIM_MODELS, type SimModel, type SimParam } from './models.ts'

function propertySchema(spec: SimParam): Record<string, unknown> {
  return {
    type: spec.type,
    ...(spec.min !== undefined ? { minimum: spec.min } : {}),
    ...(spec.max !== undefined ? { maximum: spec.max } : {}),
    ...(spec.maxLength !== undefined ? { maxLength: spec.maxLength } : {}),
    ...(spec.enum ? { enum: spec.enum } : {}),
    ...(spec.default !== undefined ? { default: spec.default } : {}),
  }
}

function liveModel(model: SimModel, index: number, baseUrl: string): Record<string, unknown> {
  const names = Object.keys(model.params)
  const size =
    'height' in model.output
      ? `${model.output.height}p`
      : `about ${(model.output.pixels / 1e6).toFixed(1)} MP`
  return {
    model_id: model.id,
    name: model.name,
    description: `Kling ${model.mode === 'i2v' ? 'image-to-video' : 'text-to-video'} (simulated, ${size}, ${model.fps} fps).`,
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
  return SIM_MODELS.map((model, index) => liveModel(model, index, baseUrl))
}

/** `POST /api/v3/model/price` with `{model_id, inputs}`. */
export function quotePrice(body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const model = typeof body.model_id === 'string' ? modelById(body.model_id) : undefined
  if (!model)
    throw new HttpProblem(
      404,
      `Model not found: ${String(body.model_id)}. List models with GET /api/v3/models.`,
    )
  const inputs = (typeof body.inputs === 'object' && body.inputs !== null ? body.inputs : {}) as Record<
    string,
    unknown
  >
  const duration =
    typeof inputs.duration === 'number' ? inputs.duration : Number(model.params.duration?.default ?? 5)
  const price = priceFor(model, duration)
  return { model_id: model.id, price, discounted_price: price, currency: 'USD' }
}
