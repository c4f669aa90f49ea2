import { describe, expect, test } from 'vitest'
import { jitteredDelay, parseRetryAfter } from './backoff.ts'

describe('parseRetryAfter', () => {
  test('reads delta seconds and HTTP dates, ignores garbage', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(parseRetryAfter('3', now)).toBe(3000)
    expect(parseRetryAfter('0.5', now)).toBe(500)
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:07 GMT', now)).toBe(7000)
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
  })
})

describe('jitteredDelay', () => {
  test('draws within [0, min(cap, base * 2^attempt)]', () => {
    const options = { baseMs: 100, capMs: 1000 }
    expect(jitteredDelay(0, options, () => 0.999)).toBe(100)
    expect(jitteredDelay(3, options, () => 0.5)).toBe(400)
    expect(jitteredDelay(10, options, () => 0.999)).toBe(999)
    expect(jitteredDelay(10, options, () => 0)).toBe(0)
  })
})
