import { join } from 'node:path'
import { describe, expect, onTestFinished, test, vi } from 'vitest'
import { api, type PredictionData, useSimulator, useTempDir, waitForResult } from './helpers.ts'

const T2V = 'kwaivgi/kling-v2.5-turbo-pro/text-to-video'

const submit = async (sim: Awaited<ReturnType<typeof useSimulator>>, prompt: string) =>
  (await api<PredictionData>(sim, 'POST', T2V, { prompt })).data.id

describe('stats and timelines', () => {
  test('maxOutstanding is the most predictions ever created and not finished at once', async () => {
    // Nothing leaves the queue: only deleting finishes a prediction, so the counts do not depend on timing.
    const sim = await useSimulator({ queueDelayMs: 60_000 })
    const finish = (ids: string[]) => api(sim, 'POST', 'predictions/delete', { ids })
    // A client that never has more than two in flight...
    for (const pair of [
      ['a', 'b'],
      ['c', 'd'],
    ]) {
      const ids = await Promise.all(pair.map((prompt) => submit(sim, prompt)))
      expect(sim.stats().outstanding).toBe(2)
      await finish(ids)
    }
    expect(sim.stats()).toMatchObject({ outstanding: 0, maxOutstanding: 2 })
    // ...and one that had three.
    await finish(await Promise.all(['e', 'f', 'g'].map((prompt) => submit(sim, prompt))))
    expect(sim.stats()).toMatchObject({ outstanding: 0, maxOutstanding: 3 })
  })

  test('a completed prediction is no longer outstanding', async () => {
    const sim = await useSimulator({ latencyMs: 50 })
    await waitForResult(sim, await submit(sim, 'done'))
    expect(sim.stats()).toMatchObject({ outstanding: 0, maxOutstanding: 1 })
  })

  test('a timeline counts the polls of each prediction and when one first saw it finished', async () => {
    const sim = await useSimulator({ latencyMs: 300 })
    const id = await submit(sim, 'polled')
    const other = await submit(sim, 'not polled')
    let polls = 0
    let status = 'created'
    while (status !== 'completed') {
      status = (await api<PredictionData>(sim, 'GET', `predictions/${id}/result`)).data.status
      polls++
      await new Promise((resolve) => setTimeout(resolve, 40))
    }
    const seenAt = performance.timeOrigin + performance.now()
    await api(sim, 'GET', `predictions/${id}`)
    await waitForResult(sim, other)
    const [polled, unpolled] = sim.timelines()
    expect(polled).toMatchObject({
      id,
      model: T2V,
      status: 'completed',
      take: 0,
      latencyMs: 300,
      cost: 0.35,
      resultRequests: polls + 1,
      downloads: 0,
    })
    expect(polled!.startedAt! - polled!.createdAt).toBeGreaterThanOrEqual(0)
    expect(polled!.finishedAt! - polled!.startedAt!).toBeGreaterThanOrEqual(300)
    // Noticed by the poll that first answered `completed`, not by the one after it.
    expect(polled!.noticedAt!).toBeGreaterThanOrEqual(polled!.finishedAt!)
    expect(polled!.noticedAt!).toBeLessThanOrEqual(seenAt)
    expect(unpolled!.id).toBe(other)
  })
})

describe('ffmpeg', () => {
  test('a missing ffmpeg fails the prediction with a message saying what to install or set', async () => {
    const dir = await useTempDir()
    const sim = await useSimulator({ cacheDir: join(dir, 'cache'), ffmpegPath: join(dir, 'no-ffmpeg-here') })
    const result = await waitForResult(sim, await submit(sim, 'needs a render'))
    expect(result).toMatchObject({ status: 'failed', code: 5000 })
    expect(result.error).toMatch(
      /ffmpeg was not found \(tried ".*no-ffmpeg-here"\)\. Install ffmpeg .* or set FFMPEG_PATH/,
    )
  })

  test('FFMPEG_PATH names the ffmpeg to run', async () => {
    const dir = await useTempDir()
    vi.stubEnv('FFMPEG_PATH', join(dir, 'from-env'))
    onTestFinished(() => void vi.unstubAllEnvs())
    const sim = await useSimulator({ cacheDir: join(dir, 'cache') })
    const result = await waitForResult(sim, await submit(sim, 'needs a render'))
    expect(result.error).toContain(join(dir, 'from-env'))
  })
})
