import { remainingPathSeconds } from '@storyreel/core'
import { describe, expect, it } from 'vitest'
import { byPriority, dependentsOf } from '../src/priority.ts'
import { planOf } from './helpers/plan.ts'

describe('priority', () => {
  it('ranks the head of the longest remaining chain first, then storyboard order', () => {
    const plan = planOf([{ id: 'solo' }, { id: 'x' }, { id: 'y', duration: 10 }, { id: 'long' }, { id: 'l2', after: 'long' }, { id: 'l3', after: 'l2' }])
    const remaining = remainingPathSeconds(plan, (shot) => shot.params.duration)
    const index = (id: string) => plan.shots.findIndex((s) => s.id === id)
    // long: 15 s to go; y: 10 s; solo and x: 5 s each, in storyboard order.
    expect(['solo', 'x', 'y', 'long'].sort(byPriority(remaining, index))).toEqual(['long', 'y', 'solo', 'x'])
  })

  it('maps each shot to the shots chained after it', () => {
    const plan = planOf([{ id: 'a' }, { id: 'b', after: 'a' }, { id: 'c', after: 'a' }, { id: 'd', after: 'c' }])
    expect(Object.fromEntries(dependentsOf(plan))).toEqual({ a: ['b', 'c'], b: [], c: ['d'], d: [] })
  })

  it('rejects a dependency on a later, unknown or duplicated shot with SCHED_INVALID_PLAN (so no cycle gets through)', () => {
    const cyclic = planOf([{ id: 'a', after: 'b' }, { id: 'b', after: 'a' }])
    expect(() => dependentsOf(cyclic)).toThrow(expect.objectContaining({ code: 'SCHED_INVALID_PLAN', message: expect.stringContaining('comes later') }))
    expect(() => dependentsOf(planOf([{ id: 'a', after: 'ghost' }]))).toThrow(/"ghost", which is not in the plan/)
    expect(() => dependentsOf(planOf([{ id: 'a' }, { id: 'a' }]))).toThrow(/Two shots are called "a"/)
  })
})
