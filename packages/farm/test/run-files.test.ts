import { createHash } from 'node:crypto'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { makeImage, needsRedis, startRedis, tempDir, type TestRedis } from '@storyreel/test-utils'
import { startSimulator } from '@storyreel/wavespeed-sim'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest'
import { openFarmClient } from '../src/index.ts'
import { loadRun } from '../src/run-record.ts'
import { planOf, simWorker } from './helpers/farm.ts'

let redis: TestRedis
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(() => redis?.close())

const paid = { name: 'wavespeed', paid: true }

// Every test here talks to a Redis it started; a machine without redis-server skips them, saying so.
const withRedis = needsRedis()

describe.skipIf(withRedis.skip)(
  withRedis.title('files of the storyboard travel with the run, on a real redis-server'),
  () => {
    test("the storyboard's images travel with the run: a worker that cannot see the submitting machine's files reads them from the store", async () => {
      const r = new Redis(redis.url)
      onTestFinished(() => r.disconnect())
      await r.flushall()
      const sim = await startSimulator({ latencyMs: 200, concurrency: 32, videoScale: 0.3 })
      onTestFinished(() => sim.close())
      const store = await tempDir()
      // The submitting machine: its own folder, which no worker mounts.
      const here = await tempDir()
      const start = await makeImage(join(here, 'Harbour.PNG'), { width: 640, height: 360 })
      const end = await makeImage(join(here, 'dusk.png'), { width: 640, height: 360, source: 'smptebars' })
      const bytes = { start: await readFile(start), end: await readFile(end) }
      const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
      const plan = planOf([
        {
          id: 'harbour',
          model: 'kling-v2.5-turbo-pro-i2v',
          image: { kind: 'file', path: start },
          end: { kind: 'file', path: end },
        },
        // Both shots read the same start image: it is sent once.
        { id: 'again', image: { kind: 'file', path: start } },
      ])
      const client = openFarmClient(redis.url)
      onTestFinished(() => client.close())
      const runId = await client.submit(plan, {
        provider: paid,
        estimate: await client.estimate(plan, { provider: paid }),
      })
      const { meta } = await loadRun(r, runId)
      expect(meta.plan.shots.map((s) => s.start)).toEqual([
        { kind: 'file', path: `files/${sha(bytes.start)}.png` },
        { kind: 'file', path: `files/${sha(bytes.start)}.png` },
      ])
      expect(meta.plan.shots[0]!.end).toEqual({ kind: 'file', path: `files/${sha(bytes.end)}.png` })
      await rm(here, { recursive: true, force: true })

      const worker = await simWorker(sim, redis.url, store)
      onTestFinished(() => worker.stop())
      const ended = await client.follow(runId, () => {})
      expect(ended?.status, JSON.stringify(worker.logs.filter((l) => l.state === 'failed'))).toBe('completed')
      expect(sim.stats().createdTotal).toBe(2)
      // Content-addressed in the store, byte for byte.
      expect(sha(await readFile(join(store, 'files', `${sha(bytes.start)}.png`)))).toBe(sha(bytes.start))
      expect(sha(await readFile(join(store, 'files', `${sha(bytes.end)}.png`)))).toBe(sha(bytes.end))
    }, 90_000)
  },
)
