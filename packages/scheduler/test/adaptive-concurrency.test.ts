import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAdaptiveConcurrency } from '../src/adaptive-concurrency.ts'

afterEach(() => {
  vi.useRealTimers()
})

describe('adaptive concurrency', () => {
  it('halves on a 429 burst once, then gives slots back one per quiet period up to the max', () => {
    vi.useFakeTimers()
    const changes: number[] = []
    const limit = createAdaptiveConcurrency({ max: 8, quietMs: 1000, onChange: (n) => changes.push(n) })
    limit.rateLimited(500)
    limit.rateLimited(500) // same burst: already cut
    limit.rateLimited(500)
    expect(limit.limit).toBe(4)
    vi.advanceTimersByTime(1499)
    expect(limit.limit).toBe(4)
    vi.advanceTimersByTime(1)
    expect(limit.limit).toBe(5)
    vi.advanceTimersByTime(10_000)
    expect(limit.limit).toBe(8)
    expect(changes).toEqual([4, 5, 6, 7, 8])
    limit.stop()
  })

  it('never goes below one slot, and a later burst cuts again', () => {
    vi.useFakeTimers()
    const limit = createAdaptiveConcurrency({ max: 2, quietMs: 60_000, onChange: () => {} })
    limit.rateLimited(1000)
    vi.advanceTimersByTime(1000)
    limit.rateLimited(1000)
    expect(limit.limit).toBe(1)
    vi.advanceTimersByTime(1000)
    limit.rateLimited(1000)
    expect(limit.limit).toBe(1)
    limit.stop()
  })
})
