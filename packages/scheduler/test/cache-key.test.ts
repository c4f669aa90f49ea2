import { describe, expect, it } from 'vitest'
import { cacheKey } from '../src/cache-key.ts'
import { planOf } from './helpers/plan.ts'

const base = planOf([{ id: 'a', prompt: 'a fox in snow' }]).shots[0]!

describe('cacheKey', () => {
  const key = (over: Partial<Parameters<typeof cacheKey>[0]> = {}) =>
    cacheKey({ provider: 'wavespeed', shot: base, ...over })

  it('is stable for equal inputs whatever the order of their fields', () => {
    const reordered = {
      ...base,
      params: { guidance_scale: 0.5, duration: 5, prompt: 'a fox in snow', aspect_ratio: '16:9' },
    }
    expect(key({ shot: reordered })).toBe(key())
    expect(key()).toMatch(/^[0-9a-f]{64}$/)
  })

  it('changes with each input that changes the picture', () => {
    const variants = [
      key(),
      key({ provider: 'animatic' }),
      key({ shot: { ...base, params: { ...base.params, prompt: 'a fox in rain' } } }),
      key({ shot: { ...base, params: { ...base.params, negative_prompt: 'blur' } } }),
      key({ shot: { ...base, params: { ...base.params, guidance_scale: 0.6 } } }),
      key({ shot: { ...base, params: { ...base.params, duration: 10 } } }),
      key({ shot: { ...base, params: { ...base.params, aspect_ratio: '9:16' } } }),
      key({ shot: planOf([{ id: 'a', prompt: 'a fox in snow', model: 'kling-v2.1-t2v-master' }]).shots[0]! }),
      key({ start: { sha256: 'a'.repeat(64) } }),
      key({ start: { sha256: 'b'.repeat(64) } }),
      key({ start: { url: 'https://example.com/a.png' } }),
      key({ end: { sha256: 'a'.repeat(64) } }),
    ]
    expect(new Set(variants).size).toBe(variants.length)
  })

  it('ignores what only the reel uses (id, trim, transition, position)', () => {
    const moved = {
      ...base,
      id: 'renamed',
      index: 7,
      trim: { start: 1 },
      transition: { type: 'crossfade' as const, duration: 1 },
    }
    expect(key({ shot: moved })).toBe(key())
  })

  it('gives every take but the first a key of its own; take 1 keeps the key caches made before takes have', () => {
    // Pinned: the key of this shot before takes existed. A change here orphans every cached clip.
    expect(key()).toBe('ed39be748d67a71586813320ee91ee4ff0fd2f9cd59b770fbf211fa19039b0fd')
    expect(key({ take: 1 })).toBe(key())
    const takes = [1, 2, 3, 8].map((take) => key({ take }))
    expect(new Set(takes).size).toBe(4)
  })
})
