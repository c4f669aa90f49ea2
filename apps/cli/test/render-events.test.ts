import type { Plan } from '@storyreel/core'
import type { SchedulerEvent } from '@storyreel/scheduler'
import { describe, expect, test } from 'vitest'
import { applyEvent } from '../src/render/apply-event.ts'
import { chooseProvider } from '../src/render/choose-provider.ts'
import { initialRunState } from '../src/render/initial-run-state.ts'
import { spendGate } from '../src/render/spend-gate.ts'
import { twoShotPlan } from './render-fixtures.ts'

const plan: Plan = twoShotPlan('/boards/x.yaml')
const base = { shot: 'a', spent: 0 }

/** What the scheduler emits for a shot whose first prediction fails and whose retry succeeds. */
const retried: SchedulerEvent[] = [
  { ...base, type: 'queued', at: 10 },
  { ...base, type: 'uploading', at: 11, attempt: 1 },
  {
    ...base,
    type: 'submitted',
    at: 12,
    attempt: 1,
    predictionId: 'p1',
    cost: 0.45,
    origin: 'new',
    spent: 0.45,
  },
  { ...base, type: 'processing', at: 13, attempt: 1, predictionId: 'p1', spent: 0.45 },
  {
    ...base,
    type: 'failed',
    at: 20,
    attempt: 1,
    predictionId: 'p1',
    message: 'server error',
    willRetry: true,
    spent: 0.45,
  },
  { ...base, type: 'retrying', at: 20, attempt: 2, reason: 'server error', spent: 0.45 },
  {
    ...base,
    type: 'submitted',
    at: 21,
    attempt: 2,
    predictionId: 'p2',
    cost: 0.45,
    origin: 'new',
    spent: 0.9,
  },
  { ...base, type: 'processing', at: 22, attempt: 2, predictionId: 'p2', spent: 0.9 },
  { ...base, type: 'downloading', at: 30, attempt: 2, predictionId: 'p2', spent: 0.9 },
  {
    ...base,
    type: 'done',
    at: 31,
    attempt: 2,
    predictionId: 'p2',
    clip: '/run/shots/a.mp4',
    sha256: 'abc',
    key: 'k2',
    timings: { queuedAt: 10, startedAt: 11, submittedAt: 21, finishedAt: 31, inferenceMs: 7000 },
    spent: 0.9,
  },
]

describe('scheduler events into the run state', () => {
  test('every attempt keeps its prediction id, cost and error; the shot keeps the timings of the one that counted', () => {
    const run = initialRunState(plan, { concurrency: 2, estimate: 0.9, paid: true, now: 0 })
    const states = retried.map((event) => applyEvent(run, event)!.state)
    expect(states).toEqual([
      'queued',
      'uploading',
      'submitted',
      'processing',
      'processing',
      'queued',
      'submitted',
      'processing',
      'downloading',
      'done',
    ])
    const a = run.shots[0]!
    expect(a.attempts).toEqual([
      { predictionId: 'p1', submittedAt: 12, startedAt: 13, cost: 0.45, error: 'server error' },
      { predictionId: 'p2', submittedAt: 21, startedAt: 22, completedAt: 30, inferenceMs: 7000, cost: 0.45 },
    ])
    expect(a).toMatchObject({
      queuedAt: 10,
      submittedAt: 21,
      completedAt: 31,
      inferenceMs: 7000,
      sha256: 'abc',
      cacheKey: 'k2',
      error: undefined,
    })
    expect(run.spent).toBe(0.9)
  })

  test("another take than the pick adds its prediction and spend, but leaves the shot's state and clip to the picked take", () => {
    const run = initialRunState(plan, { concurrency: 2, estimate: 0.9, paid: true, now: 0 })
    const picked = { ...base, take: 1, picked: true }
    const other = { ...base, take: 2, picked: false }
    applyEvent(run, {
      ...picked,
      type: 'submitted',
      at: 12,
      attempt: 1,
      predictionId: 'p1',
      cost: 0.45,
      origin: 'new',
      spent: 0.45,
    })
    applyEvent(run, {
      ...other,
      type: 'submitted',
      at: 12,
      attempt: 2,
      predictionId: 'p2',
      cost: 0.45,
      origin: 'new',
      spent: 0.9,
    })
    applyEvent(run, { ...picked, type: 'processing', at: 13, attempt: 1, predictionId: 'p1', spent: 0.9 })
    applyEvent(run, {
      ...other,
      type: 'cached',
      at: 14,
      clip: '/run/takes/a/take-2.mp4',
      sha256: 'two',
      key: 'k2',
      source: 'cache',
      spent: 0.9,
    })
    const a = run.shots[0]!
    expect(a).toMatchObject({ state: 'processing', spent: 0.9 })
    expect(a.clip).toBeUndefined()
    expect(a.attempts.map((x) => [x.predictionId, x.take])).toEqual([
      ['p1', undefined],
      ['p2', 2],
    ])
    expect(run.spent).toBe(0.9)
  })

  test('events about unknown shots are ignored', () => {
    const run = initialRunState(plan, { concurrency: 2, estimate: 0, paid: true, now: 0 })
    expect(applyEvent(run, { type: 'queued', shot: 'nope', at: 1, spent: 0 })).toBeUndefined()
  })
})

describe('provider choice and the spend gate', () => {
  test('no key: the free animatic, with a notice that says how to render for real', () => {
    expect(chooseProvider(undefined, {})).toEqual({
      name: 'animatic',
      notice: expect.stringMatching(/WAVESPEED_API_KEY/),
    })
    expect(chooseProvider(undefined, { WAVESPEED_API_KEY: 'k' })).toEqual({ name: 'wavespeed' })
    expect(() => chooseProvider('wavespeed', {})).toThrow(/WAVESPEED_API_KEY/)
    expect(() => chooseProvider('kling', {})).toThrow(/wavespeed or animatic/)
  })

  test('asks above the threshold on a terminal, refuses without one, never asks for free or with --yes', () => {
    const d = {
      cost: 8.15,
      submissions: 6,
      reused: 0,
      paid: true,
      yes: false,
      interactive: true,
      threshold: 5,
    }
    expect(spendGate(d)).toBe('ask')
    expect(() => spendGate({ ...d, interactive: false })).toThrow(/--yes/)
    expect(spendGate({ ...d, yes: true, interactive: false })).toBe('go')
    expect(spendGate({ ...d, paid: false, interactive: false })).toBe('go')
    expect(spendGate({ ...d, cost: 4.99, interactive: false })).toBe('go')
  })
})
