import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runLayout, sha256File } from '@storyreel/scheduler'
import { tempDir } from '@storyreel/test-utils'
import { describe, expect, test } from 'vitest'
import { buildManifest } from '../src/render/build-manifest.ts'
import { readManifest, writeManifest } from '../src/render/manifest.ts'
import { record, runState, twoShotPlan } from './render-fixtures.ts'

async function tempRun() {
  const dir = await tempDir('storyreel-manifest-')
  await mkdir(join(dir, 'img'))
  await mkdir(join(dir, 'run', 'frames'), { recursive: true })
  await writeFile(join(dir, 'img', 'start.png'), 'start-bytes')
  await writeFile(join(dir, 'run', 'frames', 'a.last.png'), 'last-frame-bytes')
  return dir
}

/** What the scheduler reports in `RunResult.images`: the sha256 of each image it read or made, by path. */
async function imagesOf(...paths: string[]): Promise<Map<string, string>> {
  return new Map(await Promise.all(paths.map(async (path) => [path, await sha256File(path)] as const)))
}

describe('manifest', () => {
  test('records every attempt, the ledger and image sources without their bytes', async () => {
    const dir = await tempRun()
    const plan = twoShotPlan(join(dir, 'board.yaml'))
    const layout = runLayout(join(dir, 'run'))
    const run = runState([
      record('a', {
        state: 'done',
        spent: 0.9,
        cacheKey: 'k-a',
        clip: layout.shot('a').clip,
        sha256: 'abc',
        frames: { first: layout.shot('a').first, last: layout.shot('a').last },
        attempts: [
          { predictionId: 'p1', submittedAt: 1_000_100, cost: 0.45, error: 'server error' },
          {
            predictionId: 'p2',
            submittedAt: 1_000_500,
            completedAt: 1_003_000,
            inferenceMs: 2000,
            cost: 0.45,
          },
        ],
      }),
      record('b', {
        index: 1,
        state: 'failed',
        spent: 0.45,
        error: 'moderation',
        dependsOn: ['a'],
        attempts: [{ predictionId: 'p3', submittedAt: 1_003_100, cost: 0.45 }],
      }),
    ])
    run.spent = 1.35
    const images = await imagesOf(join(dir, 'img', 'start.png'), layout.shot('a').last)
    const manifest = buildManifest({
      plan,
      run,
      layout,
      images,
      provider: 'wavespeed',
      status: 'failed',
      finishedAt: 1_004_000,
    })

    expect(manifest.ledger.map((l) => [l.predictionId, l.shot, l.cost])).toEqual([
      ['p1', 'a', 0.45],
      ['p2', 'a', 0.45],
      ['p3', 'b', 0.45],
    ])
    const [a, b] = manifest.shots
    expect(a!.attempts.map((x) => x.predictionId)).toEqual(['p1', 'p2'])
    expect(a!.cost).toBe(0.9)
    expect(a!.params.image).toEqual({
      kind: 'file',
      path: 'img/start.png',
      sha256: createHash('sha256').update('start-bytes').digest('hex'),
    })
    expect(a!.clip).toEqual({ file: 'shots/a.mp4', sha256: 'abc' })
    expect(a!.frames).toEqual({ first: 'frames/a.first.png', last: 'frames/a.last.png' })
    expect(b!.params.image).toEqual({
      kind: 'last-frame',
      shot: 'a',
      path: 'frames/a.last.png',
      sha256: createHash('sha256').update('last-frame-bytes').digest('hex'),
    })
    expect(b!.clip).toBeUndefined()
    expect(b!.error).toBe('moderation')
    expect(manifest.totals).toMatchObject({ shots: 2, rendered: 1, failed: 1, cost: 1.35, wallMs: 4000 })
    expect(JSON.stringify(manifest)).not.toContain('start-bytes')
  })

  test('the written file never contains a secret, even if something put it there', async () => {
    const dir = await tempRun()
    const plan = twoShotPlan(join(dir, 'board.yaml'), 'prompt with sk-live-SECRET123 inside')
    const run = runState([record('a', { state: 'done' }), record('b', { index: 1 })])
    const manifest = buildManifest({
      plan,
      run,
      layout: runLayout(join(dir, 'run')),
      images: new Map(),
      provider: 'wavespeed',
      status: 'completed',
      finishedAt: 1_001_000,
    })
    const path = join(dir, 'run', 'manifest.json')
    await writeManifest(path, manifest, ['sk-live-SECRET123'])
    expect(await readFile(path, 'utf8')).not.toContain('sk-live-SECRET123')
    expect((await readManifest(path)).shots[0]!.params.prompt).toBe('prompt with [redacted] inside')
    expect((await readdir(join(dir, 'run'))).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  test('a prediction the service refunded stays in the ledger, at no cost', async () => {
    const dir = await tempRun()
    const plan = twoShotPlan(join(dir, 'board.yaml'))
    const run = runState([record('a', { state: 'done' }), record('b', { index: 1, state: 'done' })])
    const ledger = [
      {
        shot: 'a',
        take: 1,
        attempt: 1,
        predictionId: 'p1',
        model: 'm',
        price: 0.45,
        at: 1_000_100,
        refunded: true,
      },
      { shot: 'a', take: 1, attempt: 2, predictionId: 'p2', model: 'm', price: 0.45, at: 1_000_500 },
    ]
    const manifest = buildManifest({
      plan,
      run,
      layout: runLayout(join(dir, 'run')),
      images: new Map(),
      ledger,
      provider: 'wavespeed',
      status: 'completed',
      finishedAt: 1_001_000,
    })
    expect(manifest.ledger.map((e) => [e.predictionId, e.cost, e.refunded])).toEqual([
      ['p1', 0, true],
      ['p2', 0.45, undefined],
    ])
  })
})
