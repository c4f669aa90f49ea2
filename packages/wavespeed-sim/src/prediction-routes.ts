import type { IncomingMessage, ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Account } from './account.ts'
import { monotonicNow } from './clock.ts'
import type { FaultInjector } from './faults.ts'
import { selectHistory } from './history.ts'
import { HttpProblem, readJsonObject, sendEnvelope, sendGatewayPage, sendJson } from './http-io.ts'
import { modelById, priceFor } from './models.ts'
import { apiView } from './prediction-views.ts'
import { isTerminal, type PredictionEngine, type PredictionRecord } from './predictions.ts'
import { requestIdentity } from './takes.ts'
import type { SubmissionRecord } from './types.ts'
import type { UploadStore } from './uploads.ts'
import { validateInput, withDefaults } from './validate-input.ts'

const BASE64_WEBHOOK_ERROR =
  'webhook callback does not support base64 output, please use the normal API to use base64 output'

/** What the prediction routes work with: the simulator's state, minus its HTTP plumbing. */
export interface PredictionApi {
  readonly url: string
  readonly engine: PredictionEngine
  readonly account: Account
  readonly faults: FaultInjector
  readonly uploads: UploadStore
  readonly submissions: SubmissionRecord[]
  readonly syncTimeoutMs: number
  /** Aborts when the simulator closes. */
  readonly signal: AbortSignal
  tooManyRequests(res: ServerResponse, retryAfterSeconds: number): void
}

/** `POST /api/v3/{model}`: validates, charges, creates the prediction and answers (or, for sync mode, waits). */
export async function submit(
  api: PredictionApi,
  req: IncomingMessage,
  res: ServerResponse,
  modelPath: string,
  webhook: string | undefined,
): Promise<void> {
  const body = await readJsonObject(req)
  const model = modelById(modelPath)
  const validated = model ? validateInput(model, body) : undefined
  const images: SubmissionRecord['images'] = []
  const record = (status: number, message?: string, id?: string, imageList = images): void => {
    api.submissions.push({
      time: Date.now(),
      model: modelPath,
      params: body,
      dropped: validated?.ok ? validated.dropped : [],
      ...(webhook !== undefined ? { webhook } : {}),
      status,
      ...(message !== undefined ? { message } : {}),
      ...(id !== undefined ? { id } : {}),
      images: imageList,
    })
  }
  const refuse = (status: number, message: string): void => {
    record(status, message)
    sendEnvelope(res, status, message)
  }
  if (!model || !validated)
    return refuse(404, `Model not found: ${modelPath}. List models with GET /api/v3/models.`)
  if (webhook !== undefined && body.enable_base64_output === true) {
    record(400, BASE64_WEBHOOK_ERROR)
    return sendJson(res, 400, { error: BASE64_WEBHOOK_ERROR })
  }
  if (!validated.ok) return refuse(400, validated.message)
  const retryAfter = api.account.retryAfterSeconds()
  if (retryAfter !== undefined) {
    record(429, 'rate limited')
    return api.tooManyRequests(res, retryAfter)
  }
  const costCents = Math.round(priceFor(model, Number(withDefaults(model, validated.input).duration)) * 100)
  const shortfall = api.account.shortfall(costCents)
  if (shortfall) return refuse(403, shortfall)

  api.account.charge(model.id, costCents)
  const prediction = api.engine.create(model, validated.input, {
    ...(webhook !== undefined ? { webhook } : {}),
    base64Output: body.enable_base64_output === true,
    costCents,
    identity: requestIdentity(model, validated.input, (ref) => imageKey(api, ref)),
  })
  const dropped = api.faults.dropSubmitAfterCreate()
  const gatewayTimeout = !dropped && api.faults.gatewayTimeoutAfterCreate()
  record(gatewayTimeout ? 504 : 200, undefined, prediction.id, prediction.images)
  if (dropped) return void req.socket.destroy()
  if (gatewayTimeout) return sendGatewayPage(res, 504)
  if (body.enable_sync_mode === true) return answerSync(api, res, prediction)
  sendEnvelope(res, 200, 'success', await apiView(prediction, api.url))
}

async function answerSync(
  api: PredictionApi,
  res: ServerResponse,
  prediction: PredictionRecord,
): Promise<void> {
  const timeoutMs = api.syncTimeoutMs
  const timer = new AbortController()
  const done = await Promise.race([
    prediction.settled.then(() => true),
    sleep(timeoutMs, false, { signal: AbortSignal.any([timer.signal, api.signal]) }),
  ]).finally(() => timer.abort())
  if (done) return sendEnvelope(res, 200, 'success', await apiView(prediction, api.url))
  sendEnvelope(res, 200, 'success', {
    id: prediction.id,
    status: 'processing',
    code: 5004,
    error: `Sync mode timed out after ${Number((timeoutMs / 1000).toFixed(3))} seconds. The prediction is still processing asynchronously.`,
    urls: { get: `${api.url}/api/v3/predictions/${prediction.id}/result` },
  })
}

/** `GET /api/v3/predictions/{id}[/result]`. */
export async function result(api: PredictionApi, res: ServerResponse, id: string): Promise<void> {
  const record = api.engine.get(id)
  if (!record) throw new HttpProblem(404, `Prediction ${id} not found. Predictions are kept for 7 days.`)
  const view = await apiView(record, api.url)
  if (isTerminal(view.status)) record.noticedMono ??= monotonicNow()
  sendEnvelope(res, 200, 'success', view)
}

/** Counts a result request for the prediction, before any fault decides its answer. */
export function countPoll(api: PredictionApi, id: string): void {
  const record = api.engine.get(id)
  if (record) record.resultRequests++
}

/** An image URL named by its content when it is one of our uploads, so re-uploads of the same bytes count as identical. */
function imageKey(api: PredictionApi, ref: string): string {
  const prefix = `${api.url}/media/`
  const hash = ref.startsWith(prefix)
    ? api.uploads.contentHash(ref.slice(prefix.length).split('/')[0]!)
    : undefined
  return hash ? `sha256:${hash}` : ref
}

/** `POST /api/v3/predictions`. */
export async function history(api: PredictionApi, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { page, records } = selectHistory(api.engine.all(), await readJsonObject(req))
  const items = await Promise.all(records.map((record) => apiView(record, api.url)))
  sendEnvelope(res, 200, 'success', { page, items })
}

/** `POST /api/v3/predictions/delete`. */
export async function deletePredictions(
  api: PredictionApi,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { ids } = await readJsonObject(req)
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string'))
    throw new HttpProblem(400, '`ids` must be an array of prediction ids.')
  let deleted = 0
  for (const id of ids) {
    const record = api.engine.get(id)
    if (record && record.status !== 'deleted') {
      api.engine.delete(record)
      deleted++
    }
  }
  sendEnvelope(res, 200, 'success', { deleted_count: deleted })
}
