import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import {
  criticalPath,
  estimateRenderSeconds,
  estimateWallClockSeconds,
  findModel,
  type Plan,
  planChains,
  planStoryboard,
  remainingPathSeconds,
} from '../src/index.ts'

const fixtures = join(import.meta.dirname, 'fixtures')
const oneSecondEach = () => 1

/** Three independent shots first in the file, then a chain of three: list order is the wrong priority. */
async function independentThenChain(): Promise<Plan> {
  const dir = await mkdtemp(join(tmpdir(), 'storyreel-analysis-'))
  const t2v = (id: string) => `  - id: ${id}\n    model: kling-v2.1-t2v-master\n    prompt: ${id}\n`
  const image = join(fixtures, 'images', 'start.png')
  const yaml =
    'version: 1\nshots:\n' +
    t2v('a1') +
    t2v('a2') +
    t2v('a3') +
    `  - id: b1\n    model: kling-v2.1-i2v-pro\n    image: ${image}\n    prompt: b1\n` +
    `  - id: b2\n    model: kling-v2.1-i2v-pro\n    prompt: b2\n` +
    `  - id: b3\n    model: kling-v2.1-i2v-pro\n    prompt: b3\n`
  await writeFile(join(dir, 's.yaml'), yaml)
  return planStoryboard(join(dir, 's.yaml'))
}

describe('chains and critical path', () => {
  test('chains group shots connected by waits, in file order; end-image starts do not connect', async () => {
    const plan = await planStoryboard(join(fixtures, 'valid', 'chains.yaml'))
    expect(planChains(plan)).toEqual([
      ['open', 'follow', 'back', 'again'],
      ['door'],
      ['inside'],
      ['web'],
      ['talk'],
    ])
    expect(criticalPath(plan, oneSecondEach)).toEqual({
      shots: ['open', 'follow', 'back', 'again'],
      seconds: 4,
    })
  })

  test('the critical path weighs shots by their estimated render time', async () => {
    const plan = await planStoryboard(join(import.meta.dirname, '../../../storyboards/storm-at-sea.yaml'))
    const path = criticalPath(plan)
    expect(path.shots).toEqual(['open', 'deck', 'rescue'])
    const seconds = ['open', 'deck', 'rescue']
      .map((id) => plan.shots.find((shot) => shot.id === id)!)
      .map((shot) => estimateRenderSeconds(shot.model, shot.params.duration))
    expect(path.seconds).toBe(seconds[0]! + seconds[1]! + seconds[2]!)
  })

  test('remaining path: own latency plus the longest path through the shots waiting for it', async () => {
    const plan = await independentThenChain()
    expect(Object.fromEntries(remainingPathSeconds(plan, oneSecondEach))).toEqual({
      a1: 1,
      a2: 1,
      a3: 1,
      b1: 3,
      b2: 2,
      b3: 1,
    })
  })
})

describe('estimated wall-clock', () => {
  test('one at a time is the sum; unlimited is the critical path', async () => {
    const plan = await planStoryboard(join(fixtures, 'valid', 'chains.yaml'))
    expect(estimateWallClockSeconds(plan, 1, oneSecondEach)).toBe(8)
    expect(estimateWallClockSeconds(plan, 100, oneSecondEach)).toBe(4)
    expect(estimateWallClockSeconds(plan, 2, oneSecondEach)).toBe(4)
  })

  test('the longest remaining chain starts first (file order would take 4 s, not 3)', async () => {
    const plan = await independentThenChain()
    expect(estimateWallClockSeconds(plan, 2, oneSecondEach)).toBe(3)
  })

  test('concurrency must be a positive integer', async () => {
    const plan = await independentThenChain()
    expect(() => estimateWallClockSeconds(plan, 0)).toThrow(TypeError)
  })
})

test('render-time estimates grow with the tier and the clip length', () => {
  const master = findModel('kling-v2.1-i2v-master')!
  const pro = findModel('kling-v2.1-i2v-pro')!
  const turbo = findModel('kling-v2.5-turbo-pro/image-to-video')!
  expect(estimateRenderSeconds(master, 5)).toBeGreaterThan(estimateRenderSeconds(pro, 5))
  expect(estimateRenderSeconds(pro, 5)).toBeGreaterThanOrEqual(estimateRenderSeconds(turbo, 5))
  expect(estimateRenderSeconds(pro, 10)).toBeGreaterThan(estimateRenderSeconds(pro, 5))
})

describe('large plans in near-linear time (plan of 40,000 shots took 577 s)', () => {
  /** `count` copies of one planned shot; `chained` makes each wait for the one before. */
  async function copies(count: number, chained: boolean): Promise<Plan> {
    const one = await independentThenChain()
    const template = one.shots[0]!
    const shots = Array.from({ length: count }, (_, index) => ({
      ...template,
      id: `s${index}`,
      index,
      dependsOn: chained && index > 0 ? [`s${index - 1}`] : [],
    }))
    return { ...one, shots }
  }

  test('40,000 independent shots: the wall-clock estimate is the work spread over the slots', async () => {
    const plan = await copies(40_000, false)
    expect(estimateWallClockSeconds(plan, 4, oneSecondEach)).toBe(10_000)
    expect(estimateWallClockSeconds(plan, 1, oneSecondEach)).toBe(40_000)
    expect(criticalPath(plan, oneSecondEach).seconds).toBe(1)
  })

  test('one chain of 100,000 shots: one chain, one critical path, no stack overflow', async () => {
    const plan = await copies(100_000, true)
    const chains = planChains(plan)
    expect(chains).toHaveLength(1)
    expect(chains[0]).toHaveLength(100_000)
    expect(criticalPath(plan, oneSecondEach).seconds).toBe(100_000)
    expect(estimateWallClockSeconds(plan, 4, oneSecondEach)).toBe(100_000)
  })
})
