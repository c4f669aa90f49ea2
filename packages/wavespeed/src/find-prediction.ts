import { WaveSpeedError } from './errors.ts'
import type { ClientContext } from './internal/context.ts'
import { withRetry } from './internal/retry.ts'
import { callApi } from './internal/transport.ts'
import type { HistoryPage, HistoryQuery, Prediction, SubmitRequest } from './types.ts'

/** Fields the client adds to a submission that are not part of the model input. */
const RESERVED = new Set(['enable_sync_mode', 'enable_base64_output'])
const MAX_PAGES = 10
const PAGE_SIZE = 100

export interface FindOptions {
  readonly signal?: AbortSignal
  /** Input fields whose value cannot be reproduced (a file uploaded again gets a new URL): match any value. */
  readonly ignoreFields?: readonly string[]
}

/** `POST /api/v3/predictions`: one page of the last 7 days of predictions. */
export async function queryHistory(
  ctx: ClientContext,
  query: HistoryQuery,
  signal?: AbortSignal,
): Promise<HistoryPage> {
  const body: Record<string, unknown> = { page: query.page ?? 1, page_size: query.pageSize ?? PAGE_SIZE }
  if (query.model !== undefined) body.model = query.model
  if (query.status !== undefined) body.status = query.status
  if (query.createdAfter !== undefined) body.created_after = new Date(query.createdAfter).toISOString()
  if (query.createdBefore !== undefined) body.created_before = new Date(query.createdBefore).toISOString()
  const data = await withRetry(
    () =>
      callApi<Partial<HistoryPage>>(ctx.transport, {
        method: 'POST',
        path: '/api/v3/predictions',
        body,
        signal,
        timeoutMs: ctx.requestTimeoutMs,
      }),
    ctx.retry,
    { signal },
  )
  return { page: data.page ?? (body.page as number), items: Array.isArray(data.items) ? data.items : [] }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b)
  return JSON.stringify(a) === JSON.stringify(b)
}

/**
 * True when the service's echo of an input agrees with what was sent. The echo
 * may add defaults and lacks fields the model dropped, so only shared keys count,
 * and at least one must be shared.
 */
function inputMatches(
  sent: Readonly<Record<string, unknown>>,
  echoed: Readonly<Record<string, unknown>>,
  ignore: ReadonlySet<string>,
): boolean {
  let shared = 0
  for (const [key, value] of Object.entries(sent)) {
    if (RESERVED.has(key) || ignore.has(key) || !(key in echoed)) continue
    if (!sameValue(value, echoed[key])) return false
    shared++
  }
  return shared > 0
}

/**
 * Looks for a prediction of `request.model` with `request.input`, created at or
 * after `since` (epoch ms, minus the clock-skew allowance), that this client has
 * not already returned. Used after an ambiguous submission and to resume after a crash.
 *
 * @returns the earliest match, or `undefined` when history answered and shows none
 *   ("certainly absent").
 * @throws WaveSpeedError `WS_SUBMIT_AMBIGUOUS` when history lists candidates whose
 *   input it does not echo, or any error of the history call when it cannot be reached.
 */
export async function findPrediction(
  ctx: ClientContext,
  request: SubmitRequest,
  since: number,
  options: FindOptions = {},
): Promise<Prediction | undefined> {
  const after = since - ctx.submit.skewMs
  const ignore = new Set(options.ignoreFields ?? [])
  const matches: Prediction[] = []
  let unverifiable = 0
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { items } = await queryHistory(
      ctx,
      { page, pageSize: PAGE_SIZE, model: request.model, createdAfter: after },
      options.signal,
    )
    for (const item of items) {
      if (ctx.claimed.has(item.id) || (item.model !== undefined && item.model !== request.model)) continue
      const created = item.created_at === undefined ? Number.NaN : Date.parse(item.created_at)
      if (!(created >= after)) continue
      if (item.input === undefined) unverifiable++
      else if (inputMatches(request.input, item.input, ignore)) matches.push(item)
    }
    if (items.length < PAGE_SIZE) break
  }
  matches.sort((a, b) => Date.parse(a.created_at ?? '') - Date.parse(b.created_at ?? ''))
  if (matches[0]) return matches[0]
  if (unverifiable > 0)
    throw new WaveSpeedError(
      'WS_SUBMIT_AMBIGUOUS',
      `History lists ${unverifiable} prediction(s) of ${request.model} since ${new Date(after).toISOString()} without their input, so it cannot tell whether one is this submission. Check the predictions on wavespeed.ai before rendering again.`,
      { ambiguous: true, model: request.model },
    )
  return undefined
}
