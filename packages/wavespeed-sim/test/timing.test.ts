import { describe, expect, test } from 'vitest'
import { api, useSimulator, waitForResult, type PredictionData } from './helpers.ts'

const T2V = 'kwaivgi/kling-v2.5-turbo-pro/text-to-video'

describe('queueing and rate limits', () => {
  test('a third prediction waits as created while two process, then runs', async () => {
    const sim = await useSimulator({ latencyMs: 1000, concurrency: 2 })
    const ids: string[] = []
    for (const prompt of ['a', 'b', 'c']) ids.push((await api<PredictionData>(sim, 'POST', T2V, { prompt })).data.id)
    await new Promise((resolve) => setTimeout(resolve, 100))
    const statuses = await Promise.all(ids.map(async (id) => (await api<PredictionData>(sim, 'GET', `predictions/${id}/result`)).data.status))
    expect(statuses).toEqual(['processing', 'processing', 'created'])
    const results = await Promise.all(ids.map((id) => waitForResult(sim, id)))
    expect(results.map((r) => r.status)).toEqual(['completed', 'completed', 'completed'])
    // The third rendered for its full latency after waiting for a slot.
    expect(results[2]!.executionTime - results[2]!.timings.inference).toBeGreaterThanOrEqual(700)
    expect(results[2]!.timings.inference).toBeGreaterThanOrEqual(1000)
  })

  test('queueDelayMs keeps a prediction created for at least that long', async () => {
    const sim = await useSimulator({ latencyMs: 50, queueDelayMs: 600 })
    const { data } = await api<PredictionData>(sim, 'POST', T2V, { prompt: 'a' })
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect((await api<PredictionData>(sim, 'GET', `predictions/${data.id}/result`)).data.status).toBe('created')
    expect((await waitForResult(sim, data.id)).executionTime).toBeGreaterThanOrEqual(650)
  })

  test('latency can depend on model and duration', async () => {
    const sim = await useSimulator({ latency: (model, duration) => (model.id === T2V ? 30 * duration : 10) })
    const { data } = await api<PredictionData>(sim, 'POST', T2V, { prompt: 'a', duration: 10 })
    expect((await waitForResult(sim, data.id)).timings.inference).toBeGreaterThanOrEqual(300)
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
