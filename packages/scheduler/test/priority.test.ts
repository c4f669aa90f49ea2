import { type PlannedShot, remainingPathSeconds } from '@storyreel/core'
import { describe, expect, it } from 'vitest'
import { dependentsOf, takeRank } from '../src/priority.ts'
import { planOf } from './helpers/plan.ts'

describe('priority', () => {
  it('ranks a picked take by its chain and every other take by itself', () => {
    const planned = planOf([
      { id: 'solo' },
      { id: 'y', duration: 10 },
      { id: 'long' },
      { id: 'l2', after: 'long' },
      { id: 'l3', after: 'l2' },
    ])
    const plan = {
      ...planned,
      shots: planned.shots.map((s) => (s.id === 'long' ? { ...s, takes: 3, pick: 2 } : s)),
    }
    const latency = (shot: PlannedShot) => shot.params.duration
    const rank = takeRank(remainingPathSeconds(plan, latency), latency)
    const shot = (id: string) => plan.shots.find((s) => s.id === id)!
    // long's picked take has 15 s to go (itself and two shots after it); its takes 1 and 3 only their own 5 s.
    expect([1, 2, 3].map((take) => rank(shot('long'), take))).toEqual([5, 15, 5])
    expect(rank(shot('y'), 1)).toBe(10)
    expect(rank(shot('solo'), 1)).toBe(5)
  })

  it('maps each shot to the shots chained after it', () => {
    const plan = planOf([
      { id: 'a' },
      { id: 'b', after: 'a' },
      { id: 'c', after: 'a' },
      { id: 'd', after: 'c' },
    ])
    expect(Object.fromEntries(dependentsOf(plan))).toEqual({ a: ['b', 'c'], b: [], c: ['d'], d: [] })
  })

  it('rejects a dependency on a later, unknown or duplicated shot with SCHED_INVALID_PLAN (so no cycle gets through)', () => {
    const cyclic = planOf([
      { id: 'a', after: 'b' },
      { id: 'b', after: 'a' },
    ])
    expect(() => dependentsOf(cyclic)).toThrow(
      expect.objectContaining({
        code: 'SCHED_INVALID_PLAN',
        message: expect.stringContaining('comes later'),
      }),
    )
    expect(() => dependentsOf(planOf([{ id: 'a', after: 'ghost' }]))).toThrow(
      /"ghost", which is not in the plan/,
    )
    expect(() => dependentsOf(planOf([{ id: 'a' }, { id: 'a' }]))).toThrow(/Two shots are called "a"/)
  })
})
