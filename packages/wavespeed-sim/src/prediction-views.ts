import { readFile } from 'node:fs/promises'
import { elapsedMs, epochOf } from './clock.ts'
import type { PredictionRecord } from './predictions.ts'
import type { PredictionTimeline, PredictionView } from './types.ts'

/** The API's view of a prediction (`data` of the result endpoint); `baseUrl` makes absolute URLs. */
export async function apiView(record: PredictionRecord, baseUrl: string): Promise<PredictionView> {
  const completed = record.status === 'completed' && record.file !== undefined
  let outputs: string[] = []
  if (completed) {
    outputs = record.base64Output
      ? [(await readFile(record.file!)).toString('base64')]
      : [`${baseUrl}/outputs/${record.id}.mp4`]
  }
  const { createdMono, startedMono, finishedMono } = record
  return {
    id: record.id,
    model: record.model.id,
    input: record.input,
    status: record.status,
    outputs,
    urls: { get: `${baseUrl}/api/v3/predictions/${record.id}/result` },
    has_nsfw_contents: outputs.map(() => false),
    created_at: record.createdAtIso,
    error: record.error,
    executionTime: finishedMono !== undefined ? elapsedMs(createdMono, finishedMono) : 0,
    timings: {
      inference:
        startedMono !== undefined && finishedMono !== undefined ? elapsedMs(startedMono, finishedMono) : 0,
    },
    ...(record.code !== undefined ? { code: record.code } : {}),
  }
}

/** What happened to a prediction and when, for tests and benchmarks. */
export function timelineOf(record: PredictionRecord): PredictionTimeline {
  return {
    id: record.id,
    model: record.model.id,
    status: record.status,
    take: record.take,
    latencyMs: record.latencyMs,
    cost: record.costCents / 100,
    createdAt: epochOf(record.createdMono),
    ...(record.startedMono !== undefined ? { startedAt: epochOf(record.startedMono) } : {}),
    ...(record.finishedMono !== undefined ? { finishedAt: epochOf(record.finishedMono) } : {}),
    resultRequests: record.resultRequests,
    ...(record.noticedMono !== undefined ? { noticedAt: epochOf(record.noticedMono) } : {}),
    downloads: record.downloads,
  }
}
