import { describe, expect, it } from 'vitest'
import { SchedulerError } from '../src/errors.ts'
import { byPriority, remainingPathMs } from '../src/priority.ts'
import { planOf } from './helpers/plan.ts'

describe('remainingPathMs', () => {
  it('sums latencies to the end of the longest chain hanging off each shot', () => {
    // a → b → c, a → d (a fork), e alone; every shot takes 10 s, c takes 20 s
    const plan = planOf([{ id: 'a' }, { id: 'b', after: 'a' }, { id: 'c', after: 'b', duration: 10 }, { id: 'd', after: 'a' }, { id: 'e' }])
    const remaining = remainingPathMs(plan, (shot) => shot.params.duration * 2000)
    expect(Object.fromEntries(remaining)).toEqual({ a: 40_000, b: 30_000, c: 20_000, d: 10_000, e: 10_000 })
  })

  it('ranks the head of the longest chain first, then storyboard order', () => {
    const plan = planOf([{ id: 'solo' }, { id: 'x' }, { id: 'y' }, { id: 'long' }, { id: 'l2', after: 'long' }, { id: 'l3', after: 'l2' }])
    const remaining = remainingPathMs(plan, () => 1)
    const index = (id: string) => plan.shots.findIndex((s) => s.id === id)
    expect(['solo', 'x', 'y', 'long'].sort(byPriority(remaining, index))).toEqual(['long', 'solo', 'x', 'y'])
  })

  it('rejects a cycle and a dependency on an unknown shot with SCHED_INVALID_PLAN', () => {
    const cyclic = planOf([{ id: 'a', after: 'b' }, { id: 'b', after: 'a' }])
    expect(() => remainingPathMs(cyclic)).toThrow(expect.objectContaining({ code: 'SCHED_INVALID_PLAN' }) as SchedulerError)
    const dangling = planOf([{ id: 'a', after: 'ghost' }])
    expect(() => remainingPathMs(dangling)).toThrow(/"ghost", which is not in the plan/)
  })
})
