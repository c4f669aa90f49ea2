import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import type { Faults, Simulator } from '../src/index.ts'
import { api, type PredictionData, probeVideo, useSimulator, useTempDir, waitForResult } from './helpers.ts'

const T2V = 'kwaivgi/kling-v2.5-turbo-pro/text-to-video'

/** Status of each of `n` balance GETs, or 0 for a dropped connection. */
async function balanceStatuses(sim: Simulator, n: number): Promise<number[]> {
  const statuses: number[] = []
  for (let i = 0; i < n; i++) {
    try {
      statuses.push(
        (await fetch(`${sim.url}/api/v3/balance`, { headers: { authorization: `Bearer ${sim.apiKey}` } }))
          .status,
      )
    } catch {
      statuses.push(0)
    }
  }
  return statuses
}

describe('fault injection', () => {
  test('the same seed gives the same faults; another seed gives others', async () => {
    const faults: Faults = { seed: 7, rate429: 0.2, rate5xx: 0.2, dropConnection: 0.1 }
    const a = await balanceStatuses(await useSimulator({ faults }), 40)
    const b = await balanceStatuses(await useSimulator({ faults }), 40)
    const c = await balanceStatuses(await useSimulator({ faults: { ...faults, seed: 8 } }), 40)
    expect(a).toEqual(b)
    expect(a).not.toEqual(c)
    expect(new Set(a)).toEqual(new Set([200, 429, 0, ...a.filter((s) => s >= 500)]))
    expect(a.filter((s) => s === 200).length).toBeGreaterThan(10)
  })

  test('faults can target one route: result GETs fail, submits do not', async () => {
    const sim = await useSimulator({ faults: { rate5xx: { result: 1 } } })
    const submitted = await api<PredictionData>(sim, 'POST', T2V, { prompt: 'x' })
    expect(submitted.httpStatus).toBe(200)
    const response = await fetch(`${sim.url}/api/v3/predictions/${submitted.data.id}/result`, {
      headers: { authorization: `Bearer ${sim.apiKey}` },
    })
    expect([500, 502, 503, 504]).toContain(response.status)
    expect(sim.stats().faults).toEqual({ '5xx': 1 })
    sim.setFaults({})
    expect((await waitForResult(sim, submitted.data.id)).status).toBe('completed')
  })

  test('a 429 fault carries Retry-After and counts as rate limited', async () => {
    const sim = await useSimulator({ faults: { rate429: { submit: 1 } } })
    const reply = await api(sim, 'POST', T2V, { prompt: 'x' })
    expect(reply).toMatchObject({ httpStatus: 429, code: 429 })
    expect(reply.headers.get('retry-after')).toBe('1')
    expect(sim.stats()).toMatchObject({ createdTotal: 0, rateLimited: 1 })
  })

  test('a dropped submit response still creates (and charges) the prediction, findable in history', async () => {
    const sim = await useSimulator({ faults: { dropSubmitAfterCreate: 1 } })
    await expect(api(sim, 'POST', T2V, { prompt: 'lost answer' })).rejects.toThrow()
    expect(sim.stats()).toMatchObject({ createdTotal: 1, charged: 0.35, faults: { 'drop-after-create': 1 } })
    const history = await api<{ items: PredictionData[] }>(sim, 'POST', 'predictions', { model: T2V })
    expect(history.data.items).toHaveLength(1)
    expect(history.data.items[0]!.input).toEqual({ prompt: 'lost answer' })
    expect(sim.submissions()[0]!.id).toBe(history.data.items[0]!.id)
  })

  test('a 504 gateway page after create: the prediction exists and runs, even for a sync submit', async () => {
    const sim = await useSimulator({ faults: { gatewayTimeoutAfterCreate: 1 } })
    for (const body of [{ prompt: 'async' }, { prompt: 'sync', enable_sync_mode: true }]) {
      const response = await fetch(`${sim.url}/api/v3/${T2V}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      expect(response.status).toBe(504)
      expect(response.headers.get('content-type')).toBe('text/html')
    }
    expect(sim.submissions().map((s) => s.status)).toEqual([504, 504])
    const ids = sim.submissions().map((s) => s.id!)
    for (const id of ids) expect((await waitForResult(sim, id)).status).toBe('completed')
    expect(sim.stats()).toMatchObject({ createdTotal: 2, faults: { '504-after-create': 2 } })
  })

  test('a dropped connection before handling creates nothing', async () => {
    const sim = await useSimulator({ faults: { dropConnection: { submit: 1 } } })
    await expect(api(sim, 'POST', T2V, { prompt: 'x' })).rejects.toThrow()
    expect(sim.stats().createdTotal).toBe(0)
  })

  test('failPrediction by predicate picks the business code per prompt', async () => {
    const sim = await useSimulator({
      faults: {
        failPrediction: ({ params }) =>
          String(params.prompt).includes('gore')
            ? { code: 1200, error: 'Content moderation: sensitive content.' }
            : undefined,
      },
    })
    const bad = (await api<PredictionData>(sim, 'POST', T2V, { prompt: 'gore' })).data
    const good = (await api<PredictionData>(sim, 'POST', T2V, { prompt: 'kittens' })).data
    expect(await waitForResult(sim, bad.id)).toMatchObject({
      status: 'failed',
      code: 1200,
      error: 'Content moderation: sensitive content.',
    })
    expect((await waitForResult(sim, good.id)).status).toBe('completed')
  })

  test('statusOverride ends predictions cancelled, timeout or deleted', async () => {
    for (const status of ['cancelled', 'timeout', 'deleted'] as const) {
      const sim = await useSimulator({ faults: { statusOverride: status } })
      const { data } = await api<PredictionData>(sim, 'POST', T2V, { prompt: 'x' })
      const result = await waitForResult(sim, data.id)
      expect(result).toMatchObject({ status, outputs: [] })
      expect(result.error).not.toBe('')
    }
  })
})

describe('outputs', () => {
  test('support byte ranges', async () => {
    const sim = await useSimulator()
    const { data } = await api<PredictionData>(sim, 'POST', T2V, { prompt: 'x' })
    const url = (await waitForResult(sim, data.id)).outputs[0]!
    const whole = Buffer.from(await (await fetch(url)).arrayBuffer())
    const part = await fetch(url, { headers: { range: 'bytes=100-199' } })
    expect(part.status).toBe(206)
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${whole.length}`)
    expect(Buffer.from(await part.arrayBuffer())).toEqual(whole.subarray(100, 200))
    const tail = await fetch(url, { headers: { range: `bytes=${whole.length - 10}-` } })
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(whole.subarray(-10))
    expect((await fetch(url, { headers: { range: `bytes=${whole.length}-` } })).status).toBe(416)
  })

  test('truncateDownload announces the full length, sends less, then breaks the connection', async () => {
    const sim = await useSimulator({ faults: { truncateDownload: 1 } })
    const { data } = await api<PredictionData>(sim, 'POST', T2V, { prompt: 'x' })
    const url = (await waitForResult(sim, data.id)).outputs[0]!
    const response = await fetch(url)
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(1000)
    await expect(response.arrayBuffer()).rejects.toThrow()
    expect(sim.stats().faults).toEqual({ 'truncate-download': 1 })
  })

  test('outputs expire after outputTtlMs: 404 on the URL and the prediction shows deleted', async () => {
    const sim = await useSimulator({ outputTtlMs: 1000 })
    const { data } = await api<PredictionData>(sim, 'POST', T2V, { prompt: 'x' })
    const done = await waitForResult(sim, data.id)
    expect((await fetch(done.outputs[0]!)).status).toBe(200)
    // Timelines use this process's monotonic clock, as the expiry does.
    const expiresAt = sim.timelines()[0]!.finishedAt! + 1000
    await new Promise((resolve) =>
      setTimeout(resolve, Math.ceil(expiresAt - (performance.timeOrigin + performance.now())) + 5),
    )
    expect((await fetch(done.outputs[0]!)).status).toBe(404)
    expect((await api<PredictionData>(sim, 'GET', `predictions/${data.id}/result`)).data).toMatchObject({
      status: 'deleted',
      outputs: [],
    })
  })
})

describe('corrupt outputs and outages', () => {
  test('corruptOutput serves complete, well-formed responses whose bodies are not the clip, per download', async () => {
    const kinds = ['truncated', 'not-video', undefined] as const
    const sim = await useSimulator({ faults: { corruptOutput: ({ download }) => kinds[download - 1] } })
    const dir = await useTempDir()
    const { data } = await api<PredictionData>(sim, 'POST', T2V, { prompt: 'x' })
    const url = (await waitForResult(sim, data.id)).outputs[0]!
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(200)
    const bodies: Buffer[] = []
    for (let i = 0; i < 3; i++) {
      const response = await fetch(url)
      const body = Buffer.from(await response.arrayBuffer())
      expect(Number(response.headers.get('content-length'))).toBe(body.length)
      bodies.push(body)
    }
    const [truncated, notVideo, clip] = bodies as [Buffer, Buffer, Buffer]
    // The first half of the real clip: its header still describes all of it, its frames stop halfway.
    expect(truncated.length).toBe(Math.floor(clip.length / 2))
    expect(truncated).toEqual(clip.subarray(0, truncated.length))
    const file = join(dir, 'truncated.mp4')
    await writeFile(file, truncated)
    expect(
      await probeVideo(file).then(
        (info) => info.frames,
        () => 0,
      ),
    ).toBeLessThan(120)
    // As many bytes as the clip, none of them video.
    expect(notVideo.length).toBe(clip.length)
    expect(notVideo.subarray(4, 8).toString('latin1')).not.toBe('ftyp')
    expect(clip.subarray(4, 8).toString('latin1')).toBe('ftyp')
    expect(sim.timelines()[0]!.downloads).toBe(3)
    expect(sim.stats().faults).toEqual({ 'corrupt-output': 2 })
  })

  test('corruptOutput as a probability serves non-video bodies', async () => {
    const sim = await useSimulator({ faults: { corruptOutput: 1 } })
    const { data } = await api<PredictionData>(sim, 'POST', T2V, { prompt: 'x' })
    const body = Buffer.from(
      await (await fetch((await waitForResult(sim, data.id)).outputs[0]!)).arrayBuffer(),
    )
    expect(body.toString('latin1')).toMatch(/^<html>/)
  })

  test('an outage fails one route with 5xx for its window, then the route recovers', async () => {
    const sim = await useSimulator({ latencyMs: 20 })
    const { data } = await api<PredictionData>(sim, 'POST', T2V, { prompt: 'x' })
    const poll = () => api<PredictionData>(sim, 'GET', `predictions/${data.id}/result`)
    const startedAt = performance.now()
    sim.outage({ route: 'result', forMs: 1000, status: 503 })
    expect(await poll()).toMatchObject({ httpStatus: 503, code: 503 })
    // Other routes keep working.
    expect((await api(sim, 'GET', 'balance')).httpStatus).toBe(200)
    let reply = await poll()
    while (reply.httpStatus !== 200) {
      expect(reply.httpStatus).toBe(503)
      await new Promise((resolve) => setTimeout(resolve, 50))
      reply = await poll()
    }
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(1000)
    expect(sim.stats().faults.outage).toBeGreaterThanOrEqual(2)
    // Failed polls count as polls.
    expect(sim.timelines()[0]!.resultRequests).toBe(sim.stats().requests.result)
  })

  test('without a fixed status an outage answers the gateway mix, HTML pages included', async () => {
    const sim = await useSimulator()
    sim.outage({ route: ['balance', 'models'], forMs: 60_000 })
    const statuses = new Set<number>()
    for (let i = 0; i < 24; i++)
      statuses.add(
        (await fetch(`${sim.url}/api/v3/balance`, { headers: { authorization: `Bearer ${sim.apiKey}` } }))
          .status,
      )
    expect([...statuses].sort()).toEqual([500, 502, 503, 504])
    expect(
      (await fetch(`${sim.url}/api/v3/models`, { headers: { authorization: `Bearer ${sim.apiKey}` } }))
        .status,
    ).toBeGreaterThanOrEqual(500)
  })
})
