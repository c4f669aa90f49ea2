import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { createRenderTimeModel, POLL_BOUNDED, pollSchedule, renderTimePlan } from '../src/index.ts'
import { tempDir } from './helpers/sim.ts'

/** 40 earlier renders of 2 minutes ± 15%, spread evenly. */
const SEEN = Array.from({ length: 40 }, (_, i) => 102_000 + (36_000 * i) / 39)

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
}

describe('renderTimePlan', () => {
  test('for a model never seen polls exactly as POLL_BOUNDED, and measures the render time', () => {
    for (const done of [800, 9_000, 61_000, 125_000]) {
      let measured = -1
      const plan = renderTimePlan({ samples: [], onRenderTime: (ms) => (measured = ms) })
      const times = pollSchedule(done, plan)
      expect(times).toEqual(pollSchedule(done, POLL_BOUNDED))
      // Between the last pending poll and the one that saw it completed, from about the first poll.
      expect(Math.abs(measured - done)).toBeLessThanOrEqual(times.at(-1)! - (times.at(-2) ?? 0) + times[0]!)
    }
  })

  test('for a model seen before notices a 2-minute render a median <= 2 s late with <= 12 requests', () => {
    const requests: number[] = []
    const lags: number[] = []
    for (let done = 102_000; done <= 138_000; done += 250) {
      const times = pollSchedule(done, renderTimePlan({ samples: SEEN }))
      requests.push(times.length)
      lags.push(times.at(-1)! - done)
    }
    expect(median(requests)).toBeLessThanOrEqual(12)
    expect(median(lags)).toBeLessThanOrEqual(2000)
  })

  test('a render far outside what was seen is still noticed: early ones (failures) within 3x their time, late ones within 2 s + 10% of the overrun', () => {
    for (const done of [3_000, 20_000])
      expect(pollSchedule(done, renderTimePlan({ samples: SEEN })).at(-1)! - done).toBeLessThanOrEqual(
        3 * done,
      )
    const early = pollSchedule(20_000, renderTimePlan({ samples: SEEN }))
    const gaps = early.slice(1).map((t, i) => t - early[i]!)
    expect(Math.max(...gaps)).toBeLessThanOrEqual(60_000)
    const late = pollSchedule(400_000, renderTimePlan({ samples: SEEN }))
    expect(late.at(-1)! - 400_000).toBeLessThanOrEqual(2000 + 0.1 * (400_000 - 138_000))
  })

  test('a prediction waiting for a slot at the API is timed from when it starts rendering, and learns the render alone', () => {
    let measured = 0
    const times = pollSchedule(
      240_000,
      renderTimePlan({ samples: SEEN, onRenderTime: (ms) => (measured = ms) }),
      120_000,
    )
    expect(times.at(-1)! - 240_000).toBeLessThanOrEqual(3000)
    expect(times.filter((t) => t > 120_000).length).toBeLessThanOrEqual(12)
    expect(Math.abs(measured - 120_000)).toBeLessThanOrEqual(10_000)
  })
})

describe('createRenderTimeModel', () => {
  const KEY = 'kwaivgi/kling-v2.1-i2v-pro 5s'

  test('persists samples per key to its file, and a new model (the next run) starts from them', async () => {
    const file = join(await tempDir(), 'cache', 'render-times.json')
    const first = createRenderTimeModel({ file })
    await first.record(KEY, 118_000)
    await first.record(KEY, 121_000)
    await first.record('other 10s', 240_000)
    const saved = JSON.parse(await readFile(file, 'utf8')) as {
      version: number
      models: Record<string, { samples: number[] }>
    }
    expect(saved.version).toBe(1)
    expect(saved.models[KEY]?.samples).toEqual([118_000, 121_000])
    expect(await createRenderTimeModel({ file }).samples(KEY)).toEqual([118_000, 121_000])
    expect(await readdir(join(file, '..'))).toEqual(['render-times.json'])
  })

  test('a plan it hands out records the render time when the prediction completes', async () => {
    const model = createRenderTimeModel()
    pollSchedule(60_000, await model.plan(KEY))
    await model.flush()
    const [learned] = await model.samples(KEY)
    expect(Math.abs(learned! - 60_000)).toBeLessThan(8_000)
  })

  test('stays bounded: the newest maxSamples per key, the most recently updated maxKeys', async () => {
    let clock = 0
    const file = join(await tempDir(), 'render-times.json')
    const model = createRenderTimeModel({ file, maxSamples: 3, maxKeys: 2, now: () => ++clock })
    for (const ms of [1, 2, 3, 4, 5]) await model.record('a', ms)
    await model.record('b', 10)
    await model.record('c', 20)
    const reloaded = createRenderTimeModel({ file })
    expect([await reloaded.samples('a'), await reloaded.samples('b'), await reloaded.samples('c')]).toEqual([
      [],
      [10],
      [20],
    ])
    await model.record('a', 6)
    const again = createRenderTimeModel({ file })
    expect([await again.samples('a'), await again.samples('b'), await again.samples('c')]).toEqual([
      [6],
      [],
      [20],
    ])
  })

  test("runs sharing the file keep each other's samples; a corrupt file is only a fresh start", async () => {
    const file = join(await tempDir(), 'render-times.json')
    await writeFile(file, '{"version":1,"models":{"x":{"samples":"not a list"')
    const one = createRenderTimeModel({ file })
    const two = createRenderTimeModel({ file })
    // Both loaded the file before either wrote: the second write still keeps the first one's sample.
    expect([await one.samples(KEY), await two.samples(KEY)]).toEqual([[], []])
    await one.record(KEY, 100)
    await two.record(KEY, 200)
    expect(await createRenderTimeModel({ file }).samples(KEY)).toEqual([100, 200])
  })
})
