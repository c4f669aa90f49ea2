import { createHash } from 'node:crypto'

/** A seeded generator of floats in [0, 1): the same seed and stream name always give the same sequence. */
export type Random = () => number

/**
 * mulberry32, seeded from sha256(seed + stream) so that each stream (one per
 * route and fault kind) draws independently: a test that adds a submit does not
 * shift the decisions taken for result GETs.
 */
export function createRandom(seed: number | string, stream: string): Random {
  let state = createHash('sha256').update(`${seed}\0${stream}`).digest().readUInt32LE(0)
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
