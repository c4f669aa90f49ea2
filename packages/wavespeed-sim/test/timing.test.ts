import { describe, expect, test } from 'vitest'
import type { PredictionTimeline } from '../src/index.ts'
import { api, type PredictionData, useSimulator, waitForResult } from './helpers.ts'

const T2V = 'kwaivgi/kling-v2.5-turbo-pro/text-to-video'

/** The most intervals [startedAt, finishedAt) that overlap at any instant. */
function mostAtOnce(timelines: readonly PredictionTimeline[]): number {
  const edges = timelines
    .flatMap(
      (t) =>
        [
          [t.startedAt!, 1],
          [t.finishedAt!, -1],
        ] as const,
    )
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
  let current = 0
  let most = 0
  for (const [, step] of edges) most = Math.max(most, (current += step))
  return most
}

describe('queueing and rate limits', () => {
  test('a third prediction waits as created while two process, then runs for its full latency', async () => {
    const sim = await useSimulator({ latencyMs: 1000, concurrency: 2 })
    const ids = await Promise.all(
      ['a', 'b', 'c'].map(
        async (prompt) => (await api<PredictionData>(sim, 'POST', T2V, { prompt })).data.id,
      ),
    )
    // Read the simulator's own state at once: no request round trips between the three.
    const statuses = new Map((await sim.predictions()).map((p) => [p.id, p.status]))
    expect([...statuses.values()].sort()).toEqual(['created', 'processing', 'processing'])
    const results = await Promise.all(ids.map((id) => waitForResult(sim, id)))
    expect(results.map((r) => r.status)).toEqual(['completed', 'completed', 'completed'])

    const timelines = sim.timelines()
    const waiting = timelines.find((t) => statuses.get(t.id) === 'created')!
    const first = timelines.filter((t) => t !== waiting)
    // It started only when a slot freed, and never were more than two processing.
    expect(waiting.startedAt).toBeGreaterThanOrEqual(Math.min(...first.map((t) => t.finishedAt!)))
    expect(mostAtOnce(timelines)).toBe(2)
    // Every render took at least its latency, on the clock and as reported.
    for (const t of timelines) expect(t.finishedAt! - t.startedAt!).toBeGreaterThanOrEqual(1000)
    for (const r of results) expect(r.timings.inference).toBeGreaterThanOrEqual(1000)
    const waited = results.find((r) => r.id === waiting.id)!
    expect(waited.executionTime - waited.timings.inference).toBeGreaterThanOrEqual(
      Math.floor(waiting.startedAt! - waiting.createdAt),
    )
  })

  test('queueDelayMs keeps a prediction created for at least that long', async () => {
    const sim = await useSimulator({ latencyMs: 50, queueDelayMs: 600 })
    const { data } = await api<PredictionData>(sim, 'POST', T2V, { prompt: 'a' })
    const result = await waitForResult(sim, data.id)
    const [timeline] = sim.timelines()
    expect(timeline!.startedAt! - timeline!.createdAt).toBeGreaterThanOrEqual(600)
    expect(result.executionTime).toBeGreaterThanOrEqual(650)
    expect(result.timings.inference).toBeGreaterThanOrEqual(50)
  })

  test('latency can depend on model and duration', async () => {
    const sim = await useSimulator({ latency: (model, duration) => (model.id === T2V ? 30 * duration : 10) })
    const { data } = await api<PredictionData>(sim, 'POST', T2V, { prompt: 'a', duration: 10 })
    expect((await waitForResult(sim, data.id)).timings.inference).toBeGreaterThanOrEqual(300)
    expect(sim.timelines()[0]!.latencyMs).toBe(300)
  })

  test('latencyJitterMs spreads render times around the latency, the same way in every run', async () => {
    const options = { latencyMs: 400, latencyJitterMs: 300, queueDelayMs: 60_000, concurrency: 1 }
    const drawn = async () => {
      const sim = await useSimulator(options)
      for (let i = 0; i < 12; i++) await api(sim, 'POST', T2V, { prompt: `shot ${i % 6}` })
      return sim.timelines().map((t) => t.latencyMs)
    }
    const first = await drawn()
    expect(await drawn()).toEqual(first)
    for (const ms of first) {
      expect(ms).toBeGreaterThanOrEqual(100)
      expect(ms).toBeLessThanOrEqual(700)
    }
    // Identical requests (the second six are takes 2 of the first six) get their own draws.
    expect(new Set(first).size).toBeGreaterThan(6)
  })

  test('past ratePerMinute, submits get 429 with Retry-After and create nothing', async () => {
    const sim = await useSimulator({ ratePerMinute: 2 })
    expect((await api(sim, 'POST', T2V, { prompt: 'a' })).httpStatus).toBe(200)
    expect((await api(sim, 'POST', T2V, { prompt: 'b' })).httpStatus).toBe(200)
    const limited = await api(sim, 'POST', T2V, { prompt: 'c' })
    expect(limited).toMatchObject({ httpStatus: 429, code: 429 })
    const retryAfter = Number(limited.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThanOrEqual(59)
    expect(retryAfter).toBeLessThanOrEqual(60)
    expect(sim.stats()).toMatchObject({ createdTotal: 2, rateLimited: 1 })
    // Polling is not limited.
    expect((await api(sim, 'GET', 'balance')).httpStatus).toBe(200)
  })
})
