import { HttpProblem } from './http-io.ts'
import type { PredictionRecord } from './predictions.ts'

const WINDOW_MS = 7 * 24 * 60 * 60 * 1000
const FILTERABLE = new Set(['created', 'processing', 'completed', 'failed'])

function parseTime(body: Readonly<Record<string, unknown>>, field: string): number | undefined {
  const value = body[field]
  if (value === undefined || value === null || value === '') return undefined
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN
  if (Number.isNaN(ms))
    throw new HttpProblem(
      400,
      `\`${field}\` must be an ISO 8601 date-time such as 2025-09-25T09:12:48Z (got ${JSON.stringify(value)}).`,
    )
  return ms
}

/**
 * `POST /api/v3/predictions`: newest first, only the last 7 days, filtered by
 * model, status and creation time, then paged (page from 1, page_size 1..100).
 */
export function selectHistory(
  records: readonly PredictionRecord[],
  body: Readonly<Record<string, unknown>>,
): { page: number; records: PredictionRecord[] } {
  const page = body.page ?? 1
  const pageSize = body.page_size ?? 20
  if (typeof page !== 'number' || !Number.isInteger(page) || page < 1)
    throw new HttpProblem(400, '`page` must be an integer from 1.')
  if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    throw new HttpProblem(400, '`page_size` must be an integer from 1 to 100.')
  }
  if (body.status !== undefined && (typeof body.status !== 'string' || !FILTERABLE.has(body.status))) {
    throw new HttpProblem(400, '`status` must be one of created, processing, completed, failed.')
  }
  const after = parseTime(body, 'created_after')
  const before = parseTime(body, 'created_before')
  const oldest = Date.now() - WINDOW_MS
  const selected = records
    .filter((r) => r.createdAt >= oldest)
    .filter((r) => body.model === undefined || r.model.id === body.model)
    .filter((r) => body.status === undefined || r.status === body.status)
    .filter((r) => after === undefined || r.createdAt >= after)
    .filter((r) => before === undefined || r.createdAt <= before)
    // The monotonic reading orders predictions created within the same millisecond too.
    .sort((a, b) => b.createdMono - a.createdMono)
  return { page, records: selected.slice((page - 1) * pageSize, page * pageSize) }
}
