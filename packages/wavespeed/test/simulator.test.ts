import { open, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { ModelSpec, RenderRequest } from '@storyreel/core'
import { findModel } from '@storyreel/core'
import { describe, expect, test } from 'vitest'
import { createClient, createUploadCache, createWavespeedProvider, isWaveSpeedError } from '../src/index.ts'
import { FAST } from './helpers/fake-api.ts'
import { makePng, tempDir, withSimulator } from './helpers/sim.ts'

function model(name: string): ModelSpec {
  const m = findModel(name)
  if (!m) throw new Error(`no model ${name}`)
  return m
}

const T2V = model('kling-v2.5-turbo-pro-t2v')
const I2V_END = model('kling-v2.5-turbo-pro-i2v')

function t2v(shotId: string, prompt = `shot ${shotId}`): RenderRequest {
  return { shotId, model: T2V, params: { prompt, duration: 5, aspect_ratio: '16:9', guidance_scale: 0.5 } }
}

async function isMp4(path: string): Promise<boolean> {
  const handle = await open(path)
  const { buffer } = await handle.read(Buffer.alloc(12), 0, 12, 0)
  await handle.close()
  return buffer.subarray(4, 8).toString('latin1') === 'ftyp'
}

describe('provider against the simulator', () => {
  test('renders an i2v shot with start and end images: uploads once each, sends only accepted fields, downloads an mp4', async () => {
    const { sim, client } = await withSimulator()
    const dir = await tempDir()
    const start = await makePng(dir, 'start.png', 'red')
    const end = await makePng(dir, 'end.png', 'blue')
    const provider = createWavespeedProvider(client, {
      uploadCache: createUploadCache({ path: join(dir, 'uploads.json') }),
    })
    const phases: string[] = []
    const request: RenderRequest = {
      shotId: 'a',
      model: I2V_END,
      params: {
        prompt: 'a red door opens',
        negative_prompt: 'blur',
        guidance_scale: 0.4,
        duration: 5,
        aspect_ratio: '9:16',
      },
      startImage: { kind: 'file', path: start },
      endImage: { kind: 'file', path: end },
    }
    const { id } = await provider.submit(request, { onPhase: (p) => phases.push(p) })
    const result = await provider.wait(id, { onPhase: (p) => phases.push(p) })
    const dest = join(dir, 'a.mp4')
    await provider.download(result, dest)
    expect(await isMp4(dest)).toBe(true)
    expect(phases.slice(0, 2)).toEqual(['uploading', 'submitting'])
    expect(phases).toContain('processing')
    const [submission] = sim.submissions()
    expect(submission?.dropped).toEqual([])
    expect(Object.keys(submission!.params).sort()).toEqual([
      'duration',
      'guidance_scale',
      'image',
      'last_image',
      'negative_prompt',
      'prompt',
    ])
    expect(submission?.params.duration).toBe(5)
    expect(submission?.images.map((i) => i.field).sort()).toEqual(['image', 'last_image'])
    expect(sim.stats().createdTotal).toBe(1)
    // Same bytes again: served from the persisted cache, no new upload.
    const uploadsBefore = sim.stats().requests['upload-ticket'] ?? 0
    const again = createWavespeedProvider(client, {
      uploadCache: createUploadCache({ path: join(dir, 'uploads.json') }),
    })
    await again.submit({ ...request, shotId: 'b' })
    expect(sim.stats().requests['upload-ticket'] ?? 0).toBe(uploadsBefore)
    expect(await readdir(dir)).not.toContain(expect.stringMatching(/\.part$/))
  })

  test('with faults on every route, every result is delivered and exactly one prediction per shot is created', async () => {
    const { sim, client } = await withSimulator({
      faults: {
        seed: 7,
        rate429: { submit: 0.2, result: 0.2, 'upload-ticket': 0.2 },
        rate5xx: { result: 0.2, history: 0.1, 'upload-ticket': 0.2 },
        dropConnection: { result: 0.15, 'upload-put': 0.2 },
        dropSubmitAfterCreate: 0.3,
        truncateDownload: 0.4,
      },
    })
    const dir = await tempDir()
    const image = await makePng(dir, 'start.png', 'orange')
    const provider = createWavespeedProvider(client)
    const shots = ['s1', 's2', 's3', 's4', 's5', 's6']
    const i2v = model('kling-v2.1-i2v-pro')
    const results = await Promise.all(
      shots.map(async (shot, i) => {
        const request: RenderRequest =
          i % 2 === 0
            ? t2v(shot)
            : {
                shotId: shot,
                model: i2v,
                params: { prompt: `shot ${shot}`, duration: 5 },
                startImage: { kind: 'file', path: image },
              }
        const { id } = await provider.submit(request)
        const result = await provider.wait(id)
        await provider.download(result, join(dir, `${shot}.mp4`))
        return id
      }),
    )
    expect(new Set(results).size).toBe(shots.length)
    for (const shot of shots) expect(await isMp4(join(dir, `${shot}.mp4`))).toBe(true)
    const stats = sim.stats()
    expect(stats.createdTotal).toBe(shots.length)
    expect(stats.faults['drop-after-create'] ?? 0).toBeGreaterThan(0)
    expect(stats.faults['truncate-download'] ?? 0).toBeGreaterThan(0)
    expect(stats.rateLimited).toBeGreaterThan(0)
    expect(stats.faults.drop ?? 0).toBeGreaterThan(0)
    expect(sim.submissions().every((s) => s.dropped.length === 0)).toBe(true)
  })

  test('a dropped submission response is adopted from history, not paid twice', async () => {
    const { sim, client } = await withSimulator({ faults: { dropSubmitAfterCreate: 1 } })
    const adopted: string[] = []
    const p = await client.submit(
      { model: T2V.id, input: { prompt: 'the lost answer', duration: 5 } },
      { onAdopt: (x) => adopted.push(x.id) },
    )
    expect(adopted).toEqual([p.id])
    expect(sim.stats().createdTotal).toBe(1)
    expect(sim.submissions()).toHaveLength(1)
  })

  test.each(['cancelled', 'timeout', 'deleted'] as const)(
    'status %s ends the wait with a typed error',
    async (status) => {
      const { client } = await withSimulator({ faults: { statusOverride: status } })
      const provider = createWavespeedProvider(client)
      const { id } = await provider.submit(t2v('x'))
      const error = await provider.wait(id).catch((e: unknown) => e)
      expect(error).toMatchObject({
        code: { cancelled: 'WS_CANCELLED', timeout: 'WS_TIMEOUT', deleted: 'WS_DELETED' }[status],
        predictionId: id,
      })
    },
  )

  test('moderation failure is typed, carries the business code and is not retryable', async () => {
    const { client } = await withSimulator({
      faults: { failPrediction: { rate: 1, code: 1200, error: 'Content flagged' } },
    })
    const provider = createWavespeedProvider(client)
    const { id } = await provider.submit(t2v('m'))
    const error = await provider.wait(id).catch((e: unknown) => e)
    expect(isWaveSpeedError(error, 'WS_MODERATION')).toBe(true)
    expect(error).toMatchObject({ businessCode: 1200, predictionId: id, retryable: false })
  })

  test('recover finds the prediction of a request after a crash, and nothing for another prompt', async () => {
    const { sim, client } = await withSimulator()
    const dir = await tempDir()
    const start = await makePng(dir, 's.png', 'green')
    const request: RenderRequest = {
      shotId: 'r',
      model: model('kling-v2.1-i2v-pro'),
      params: { prompt: 'green field', duration: 5 },
      startImage: { kind: 'file', path: start },
    }
    const since = Date.now()
    const { id } = await createWavespeedProvider(client).submit(request)
    // A new process: fresh client state, no upload cache: the image field cannot be compared.
    const provider = createWavespeedProvider(createClient({ apiKey: sim.apiKey, baseUrl: sim.url, ...FAST }))
    expect(await provider.recover!(request, since)).toBe(id)
    expect(
      await provider.recover!({ ...request, params: { ...request.params, prompt: 'another' } }, since),
    ).toBeUndefined()
  })

  test('a wrong key gives WS_AUTH and the key never appears in the error', async () => {
    const { sim } = await withSimulator()
    const secret = 'sk-live-THIS-MUST-NOT-LEAK-42'
    const client = createClient({
      apiKey: secret,
      baseUrl: sim.url,
      retry: { retries: 0, baseMs: 1, capMs: 1 },
    })
    const error = await client.balance().catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'WS_AUTH', httpStatus: 401 })
    expect(JSON.stringify(error)).not.toContain(secret)
    expect(String((error as Error).stack)).not.toContain(secret)
  })

  test('balance and history speak the protocol', async () => {
    const { client } = await withSimulator({ balance: 12.5 })
    expect(await client.balance()).toBe(12.5)
    const p = await client.submit({ model: T2V.id, input: { prompt: 'h', duration: 5 } })
    const page = await client.history({ model: T2V.id, createdAfter: Date.now() - 60_000 })
    expect(page.items.map((i) => i.id)).toContain(p.id)
    expect(await client.balance()).toBeCloseTo(12.5 - 0.35)
  })

  test('sync mode returns the finished prediction in one request, and falls back to polling after a 5004 sync timeout', async () => {
    const { sim, client } = await withSimulator({ latencyMs: 300, syncTimeoutMs: 100 })
    const quick = await withSimulator({ latencyMs: 50 })
    const done = await quick.client.run(
      { model: T2V.id, input: { prompt: 'sync', duration: 5 } },
      { sync: true },
    )
    expect(done.status).toBe('completed')
    expect(quick.sim.stats().requests.result ?? 0).toBe(0)
    const late = await client.run(
      { model: T2V.id, input: { prompt: 'sync slow', duration: 5 } },
      { sync: true },
    )
    expect(late.status).toBe('completed')
    expect(sim.stats().requests.result ?? 0).toBeGreaterThan(0)
    expect(sim.stats().createdTotal).toBe(1)
  })
})
