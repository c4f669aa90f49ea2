import { findModel, type Plan, type PlannedShot } from '@storyreel/core'
import type { RunState, ShotRecord } from '../src/render/run-state.ts'

const model = findModel('kling-v2.1-i2v-pro')!

/** A two-shot chain (`a` then `b` from a's last frame) as the core would plan it. */
export function twoShotPlan(file: string, prompt = 'A boat at sea'): Plan {
  const shot = (id: string, index: number, extra: Partial<PlannedShot>): PlannedShot => ({
    id,
    index,
    model,
    params: { prompt, duration: 5, guidance_scale: 0.5 },
    start: { kind: 'none' },
    dependsOn: [],
    transition: { type: 'cut', duration: 0 },
    seam: false,
    cost: 0.45,
    takes: 1,
    pick: 1,
    line: 3 + index,
    ...extra,
  })
  return {
    title: 'Test <reel>',
    file,
    hash: 'f'.repeat(64),
    output: { file: 'reel.mp4', fit: 'contain', transition: { type: 'cut', duration: 0 } },
    shots: [
      shot('a', 0, { start: { kind: 'file', path: file.replace(/[^/]+$/, 'img/start.png') } }),
      shot('b', 1, { start: { kind: 'last-frame', shot: 'a' }, dependsOn: ['a'], seam: true }),
    ],
  }
}

export function record(id: string, extra: Partial<ShotRecord> = {}): ShotRecord {
  return {
    id,
    index: 0,
    model: model.id,
    duration: 5,
    prompt: 'p',
    dependsOn: [],
    takeCount: 1,
    pick: 1,
    state: 'waiting',
    spent: 0,
    attempts: [],
    ...extra,
  }
}

/** A paid run estimated at $0.45 a shot. */
export function runState(shots: ShotRecord[], startedAt = 1_000_000): RunState {
  return { startedAt, concurrency: 2, paid: true, shots, spent: 0, estimate: 0.45 * shots.length }
}
