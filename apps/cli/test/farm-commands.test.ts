import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openFsStore, startWorker } from '@storyreel/farm'
import { needsRedis, startRedis, type TestRedis } from '@storyreel/test-utils'
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest'
import { assembleLikeLocal, clipHooks, providerFromEnv } from '../src/farm/worker-hooks.ts'
import type { Manifest } from '../src/render/manifest.ts'
import { runMain } from './helpers/run-main.ts'

const root = join(import.meta.dirname, '../../..')
let redis: TestRedis
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(() => redis?.close())

const run = (argv: string[], env: Record<string, string> = {}) => runMain(argv, root, { env })

/** `render --queue URL --detach` of an animatic storyboard with four chain heads. */
const enqueueDetached = (url: string) =>
  run(['render', 'storyboards/social-short.yaml', '--queue', url, '--provider', 'animatic', '--detach'])

// Every test here talks to a Redis it started; a machine without redis-server skips them, saying so.
const withRedis = needsRedis()

describe.skipIf(withRedis.skip)(withRedis.title('farm commands against a real redis-server'), () => {
  test('farm flags without a queue, a worker without Redis, a bad key limit: usage errors (exit 2)', async () => {
    expect(await run(['render', 'storyboards/storm-at-sea.yaml', '--detach'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--detach needs --queue URL'),
    })
    expect(
      await run(['render', 'storyboards/storm-at-sea.yaml', '--queue', redis.url, '--out', 'x']),
    ).toMatchObject({ code: 2 })
    expect(await run(['worker'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('worker needs --redis redis://HOST:PORT'),
    })
    expect(await run(['worker', '--redis', redis.url], { STORYREEL_KEY_CONCURRENCY: 'lots' })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('STORYREEL_KEY_CONCURRENCY must be a whole number'),
    })
    expect(await run(['cancel', 'some-run'])).toMatchObject({ code: 2 })
  })

  test('status and cancel of a run the queue does not have: one message, exit 1', async () => {
    const status = await run(['status', 'no-such-run', '--queue', redis.url])
    expect(status).toMatchObject({
      code: 1,
      stderr:
        'storyreel: No run "no-such-run" on this queue: check the id (storyreel render --queue prints it) and the Redis URL.\n',
    })
    expect((await run(['cancel', 'no-such-run', '--queue', redis.url])).code).toBe(1)
  })

  test('a Redis password in the queue URL works and is never printed: the commands to run show it as ***', async () => {
    const password = 'farm-pass-4f9c1e'
    const locked = await startRedis({ password })
    onTestFinished(() => locked.close())
    const enqueued = await enqueueDetached(locked.url)
    expect(enqueued.code, enqueued.stderr).toBe(0)
    const runId = enqueued.stdout.trim()
    expect(enqueued.stderr).toContain(
      `Follow it with: storyreel status ${runId} --queue redis://:***@127.0.0.1:${locked.port}`,
    )
    const status = await run(['status', runId, '--queue', locked.url])
    const canceled = await run(['cancel', runId, '--queue', locked.url])
    expect(canceled.code, canceled.stderr).toBe(0)
    expect(canceled.stdout).toContain(`--queue redis://:***@127.0.0.1:${locked.port} shows where`)
    for (const out of [enqueued, status, canceled]) expect(out.stdout + out.stderr).not.toContain(password)
  })

  test('render --queue --detach: validated, estimated and enqueued (the 4 chain heads); status shows it; cancel drops them', async () => {
    const enqueued = await enqueueDetached(redis.url)
    expect(enqueued.code, enqueued.stderr).toBe(0)
    const runId = enqueued.stdout.trim()
    expect(enqueued.stderr).toContain(`Enqueued run ${runId}`)
    const status = await run(['status', runId, '--queue', redis.url, '--json'])
    expect(JSON.parse(status.stdout)).toMatchObject({ runId, status: 'rendering' })
    expect((await run(['cancel', runId, '--queue', redis.url])).stdout).toMatch(
      /^Canceled run .*: 4 queued shot job\(s\) dropped\. A worker writes the run's manifest and report \(status interrupted, no reel/,
    )
    expect(JSON.parse((await run(['status', runId, '--queue', redis.url, '--json'])).stdout)).toMatchObject({
      status: 'canceled',
    })

    // A worker then finishes the canceled run as a local Ctrl-C leaves one: manifest and report, interrupted, no reel.
    const store = await mkdtemp(join(tmpdir(), 'storyreel-cancel-store-'))
    onTestFinished(() => rm(store, { recursive: true, force: true }))
    const cacheDir = join(store, 'cache')
    const worker = await startWorker({
      redisUrl: redis.url,
      store: openFsStore(store),
      concurrency: 1,
      provider: providerFromEnv({}, cacheDir),
      hooks: clipHooks,
      assemble: assembleLikeLocal([], cacheDir),
      secrets: [],
      log: () => {},
    })
    onTestFinished(() => worker.stop())
    let finished: { report: string; manifest: string; reel?: string } | undefined
    for (let i = 0; i < 600 && !finished; i++) {
      finished = (
        JSON.parse((await run(['status', runId, '--queue', redis.url, '--json'])).stdout) as {
          finished?: typeof finished
        }
      ).finished
      if (!finished) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(finished).toMatchObject({ report: `runs/${runId}/report.html` })
    expect(finished!.reel).toBeUndefined()
    const manifest = JSON.parse(await readFile(join(store, finished!.manifest), 'utf8')) as Manifest
    expect(manifest.status).toBe('interrupted')
    expect(manifest.shots.every((s) => s.status !== 'done')).toBe(true)
    expect((await run(['status', runId, '--queue', redis.url])).stdout).toContain(
      `Run ${runId}: canceled, report runs/${runId}/report.html in the store`,
    )
  }, 120_000)
})
