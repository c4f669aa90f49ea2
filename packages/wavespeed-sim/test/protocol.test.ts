import { request } from 'node:http'
import { describe, expect, test } from 'vitest'
import { api, type PredictionData, useSimulator, waitForResult } from './helpers.ts'

const T2V = 'kwaivgi/kling-v2.5-turbo-pro/text-to-video'

describe('envelope and auth', () => {
  test('a submit answers the documented envelope with a created prediction and an x-request-id', async () => {
    const sim = await useSimulator()
    const reply = await api<PredictionData>(sim, 'POST', T2V, { prompt: 'a lighthouse' })
    expect(reply.httpStatus).toBe(200)
    expect(reply.code).toBe(200)
    expect(reply.message).toBe('success')
    expect(reply.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(reply.data).toMatchObject({
      model: T2V,
      status: 'created',
      outputs: [],
      has_nsfw_contents: [],
      error: '',
    })
    expect(reply.data.urls.get).toBe(`${sim.url}/api/v3/predictions/${reply.data.id}/result`)
    expect(reply.data.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/)
  })

  test('the status goes created -> processing -> completed, with timings and an output URL', async () => {
    const sim = await useSimulator({ latencyMs: 500 })
    const { data } = await api<PredictionData>(sim, 'POST', T2V, { prompt: 'a lighthouse' })
    const seen = new Set<string>()
    let last: PredictionData
    do {
      last = (await api<PredictionData>(sim, 'GET', `predictions/${data.id}/result`)).data
      seen.add(last.status)
      await new Promise((resolve) => setTimeout(resolve, 20))
    } while (last.status !== 'completed')
    expect(seen.has('processing')).toBe(true)
    expect(last.outputs).toEqual([`${sim.url}/outputs/${data.id}.mp4`])
    expect(last.timings.inference).toBeGreaterThanOrEqual(500)
    expect(last.executionTime).toBeGreaterThanOrEqual(last.timings.inference)
    const bare = await api<PredictionData>(sim, 'GET', `predictions/${data.id}`)
    expect(bare.data).toEqual(last)
  })

  test('a wrong or missing key gets 401 and the key never appears in the answer', async () => {
    const sim = await useSimulator()
    const wrong = await api(sim, 'POST', T2V, { prompt: 'x' }, 'not-the-key')
    const missing = await api(sim, 'GET', 'balance', undefined, '')
    for (const reply of [wrong, missing]) {
      expect(reply.httpStatus).toBe(401)
      expect(reply.code).toBe(401)
      expect(JSON.stringify(reply)).not.toContain(sim.apiKey)
    }
    expect(sim.stats().createdTotal).toBe(0)
  })

  test('a request addressed to another host name is refused, so a DNS-rebinding page cannot use it', async () => {
    const sim = await useSimulator()
    const port = new URL(sim.url).port
    const statusFor = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          `${sim.url}/api/v3/balance`,
          { headers: { host, authorization: `Bearer ${sim.apiKey}` } },
          (res) => {
            res.resume()
            resolve(res.statusCode ?? 0)
          },
        )
        req.once('error', reject).end()
      })
    expect(await statusFor('attacker.invalid')).toBe(403)
    expect(await statusFor(`attacker.invalid:${port}`)).toBe(403)
    expect(await statusFor(`localhost:${port}`)).toBe(200)
    expect(sim.stats().requests).toEqual({ balance: 1 })
  })

  test('an unknown model is a 404 envelope', async () => {
    const sim = await useSimulator()
    const reply = await api(sim, 'POST', 'kwaivgi/kling-v9-imaginary', { prompt: 'x' })
    expect(reply).toMatchObject({ httpStatus: 404, code: 404 })
    expect(reply.message).toContain('kwaivgi/kling-v9-imaginary')
  })
})

describe('parameters', () => {
  test('bad values are refused with 400 and a message naming the field', async () => {
    const sim = await useSimulator()
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ prompt: 'x', duration: 7 }, /`duration` must be one of 5, 10 \(got 7\)/],
      [{ prompt: 'x', duration: '5' }, /`duration` must be a number/],
      [{ prompt: 'x', guidance_scale: 1.5 }, /`guidance_scale` must be at most 1/],
      [{ prompt: 'x', aspect_ratio: '4:3' }, /`aspect_ratio` must be one of 16:9, 9:16, 1:1/],
      [{ prompt: 'x'.repeat(2501) }, /`prompt` is 2501 characters long; the maximum is 2500/],
      [{ negative_prompt: 'blur' }, /Missing required parameter .*`prompt`/],
    ]
    for (const [body, message] of cases) {
      const reply = await api(sim, 'POST', T2V, body)
      expect(reply.httpStatus, JSON.stringify(body)).toBe(400)
      expect(reply.code).toBe(400)
      expect(reply.message).toMatch(message)
    }
    expect(sim.stats().createdTotal).toBe(0)
    expect(sim.submissions().map((s) => s.status)).toEqual(cases.map(() => 400))
  })

  test('keys the model does not take are stripped, recorded, and the run is still billed', async () => {
    const sim = await useSimulator()
    const { data } = await api<PredictionData>(sim, 'POST', 'kwaivgi/kling-v2.0-t2v-master', {
      prompt: 'x',
      seed: 42,
      guidance_scale: 0.7,
      cfg_scale: 0.5,
    })
    const [submission] = sim.submissions()
    expect(submission).toMatchObject({
      id: data.id,
      status: 200,
      dropped: ['seed', 'guidance_scale', 'cfg_scale'],
    })
    expect(submission!.params).toEqual({ prompt: 'x', seed: 42, guidance_scale: 0.7, cfg_scale: 0.5 })
    expect(data.input).toEqual({ prompt: 'x' })
    expect(sim.stats()).toMatchObject({ charged: 1.3, balance: 98.7 })
  })
})

describe('account', () => {
  test("balance is charged the model's price per prediction and refused with 403 when short", async () => {
    const sim = await useSimulator({ balance: 1 })
    expect((await api(sim, 'GET', 'balance')).data).toEqual({ balance: 1 })
    expect((await api(sim, 'POST', T2V, { prompt: 'x', duration: 10 })).httpStatus).toBe(200)
    expect((await api(sim, 'GET', 'balance')).data).toEqual({ balance: 0.3 })
    const refused = await api(sim, 'POST', T2V, { prompt: 'x' })
    expect(refused).toMatchObject({ httpStatus: 403, code: 403 })
    expect(refused.message).toMatch(
      /Insufficient balance: this prediction costs \$0\.35 and the balance is \$0\.30/,
    )
    expect(sim.stats().createdTotal).toBe(1)
  })

  test('failed predictions are refunded', async () => {
    const sim = await useSimulator({ balance: 2, faults: { failPrediction: 1 } })
    const { data } = await api<PredictionData>(sim, 'POST', T2V, { prompt: 'x' })
    const result = await waitForResult(sim, data.id)
    expect(result).toMatchObject({ status: 'failed', code: 5000, outputs: [] })
    expect(result.error).toMatch(/Internal error/)
    expect(sim.stats()).toMatchObject({ charged: 0.35, refunded: 0.35, balance: 2 })
  })

  test("models and prices come from the simulator's model table", async () => {
    const sim = await useSimulator()
    const models = await api<Record<string, unknown>[]>(sim, 'GET', 'models')
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- loosely typed API answers in a bench/test
    const master = models.data.find((m) => m.model_id === 'kwaivgi/kling-v2.0-i2v-master') as any
    expect(master).toMatchObject({ type: 'image-to-video', base_price: 1.3 })
    expect(master.api_schema.api_schemas[0].request_schema.required).toEqual(['prompt', 'image'])
    expect(master.api_schema.api_schemas[0].request_schema.properties.duration).toEqual({
      type: 'integer',
      enum: [5, 10],
      default: 5,
    })
    expect(master.api_schema.api_schemas[0].request_schema.properties).toHaveProperty('end_image')
    const price = await api(sim, 'POST', 'model/price', {
      model_id: 'kwaivgi/kling-v2.1-i2v-master',
      inputs: { duration: 10 },
    })
    expect(price.data).toEqual({
      model_id: 'kwaivgi/kling-v2.1-i2v-master',
      price: 2.6,
      discounted_price: 2.6,
      currency: 'USD',
    })
  })
})

describe('history and delete', () => {
  test('history filters by model, status and creation time, newest first, paged', async () => {
    // Only the first prediction finishes while the test runs, however slow the machine.
    const sim = await useSimulator({ latency: (_model, duration) => (duration === 5 ? 50 : 60_000) })
    const first = (await api<PredictionData>(sim, 'POST', T2V, { prompt: 'one' })).data
    await waitForResult(sim, first.id)
    const pause = () => new Promise((resolve) => setTimeout(resolve, 5))
    await pause()
    const cut = new Date().toISOString()
    // created_before and created_after are inclusive: keep the next prediction out of the cut's millisecond.
    await pause()
    const second = (await api<PredictionData>(sim, 'POST', T2V, { prompt: 'two', duration: 10 })).data
    const other = (
      await api<PredictionData>(sim, 'POST', 'kwaivgi/kling-v2.0-t2v-master', {
        prompt: 'three',
        duration: 10,
      })
    ).data

    const all = await api<{ page: number; items: PredictionData[] }>(sim, 'POST', 'predictions', {
      page: 1,
      page_size: 10,
    })
    expect(all.data.items.map((p) => p.id)).toEqual([other.id, second.id, first.id])
    const byModel = await api<{ items: PredictionData[] }>(sim, 'POST', 'predictions', {
      model: T2V,
      created_after: cut,
    })
    expect(byModel.data.items.map((p) => p.id)).toEqual([second.id])
    const completed = await api<{ items: PredictionData[] }>(sim, 'POST', 'predictions', {
      status: 'completed',
    })
    expect(completed.data.items.map((p) => p.id)).toEqual([first.id])
    const before = await api<{ items: PredictionData[] }>(sim, 'POST', 'predictions', { created_before: cut })
    expect(before.data.items.map((p) => p.id)).toEqual([first.id])
    const page2 = await api<{ page: number; items: PredictionData[] }>(sim, 'POST', 'predictions', {
      page: 2,
      page_size: 2,
    })
    expect(page2.data).toMatchObject({ page: 2, items: [{ id: first.id }] })
    expect((await api(sim, 'POST', 'predictions', { page_size: 101 })).httpStatus).toBe(400)
    expect((await api(sim, 'POST', 'predictions', { created_after: 'yesterday' })).httpStatus).toBe(400)
  })

  test('delete marks predictions deleted and their outputs disappear', async () => {
    const sim = await useSimulator({ latencyMs: 50 })
    const { data } = await api<PredictionData>(sim, 'POST', T2V, { prompt: 'x' })
    const done = await waitForResult(sim, data.id)
    expect((await fetch(done.outputs[0]!)).status).toBe(200)
    const reply = await api(sim, 'POST', 'predictions/delete', { ids: [data.id, 'nope'] })
    expect(reply.data).toEqual({ deleted_count: 1 })
    expect((await api<PredictionData>(sim, 'GET', `predictions/${data.id}/result`)).data).toMatchObject({
      status: 'deleted',
      outputs: [],
    })
    expect((await fetch(done.outputs[0]!)).status).toBe(404)
  })
})
