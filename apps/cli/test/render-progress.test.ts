import { PassThrough } from 'node:stream'
import { describe, expect, test } from 'vitest'
import { createStyle } from '../src/output/style.ts'
import { chooseView } from '../src/render/progress/choose-view.ts'
import { estimateRemainingMs } from '../src/render/progress/estimate-remaining.ts'
import { createJsonView } from '../src/render/progress/json-view.ts'
import { createLineView } from '../src/render/progress/line-view.ts'
import { createTtyView, frame } from '../src/render/progress/tty-view.ts'
import { record, runState } from './render-fixtures.ts'

const plain = createStyle({
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: '',
  env: { NO_COLOR: '1' },
  isTTY: false,
})

function capture() {
  const stream = new PassThrough()
  const chunks: string[] = []
  stream.on('data', (c: Buffer) => chunks.push(c.toString()))
  return { stream, text: () => chunks.join('') }
}

describe('progress', () => {
  test('plain lines: one per state change, no repeats, no colour codes when colour is off', () => {
    const out = capture()
    const shot = record('open')
    const run = runState([shot])
    let now = run.startedAt
    const view = createLineView(out.stream, { style: plain, now: () => now })
    shot.state = 'queued'
    view.shotChanged(run, shot)
    view.shotChanged(run, shot)
    shot.state = 'submitted'
    shot.attempts.push({ predictionId: 'pred-1', cost: 0.45 })
    now += 1500
    view.shotChanged(run, shot)
    shot.state = 'done'
    run.spent = 0.45
    view.shotChanged(run, shot)
    view.close(run)
    expect(out.text()).toBe(
      [
        '[     0 s] open: queued',
        '[     2 s] open: submitted (pred-1)',
        '[     2 s] open: done',
        '[     2 s] 1/1 shots ready, $0.45 spent',
        '',
      ].join('\n'),
    )
  })

  test('NDJSON: every line is an event object with the shot, state and prediction', () => {
    const out = capture()
    const shot = record('a', { state: 'processing', attempts: [{ predictionId: 'p9', cost: 0.45 }] })
    const run = runState([shot])
    const view = createJsonView(out.stream, () => 0)
    view.shotChanged(run, shot)
    view.note('slowing down')
    view.close(run)
    const events = out
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(events.map((e) => e.type)).toEqual(['shot', 'note', 'run-end'])
    expect(events[0]).toMatchObject({
      shot: 'a',
      state: 'processing',
      attempt: 1,
      predictionId: 'p9',
      time: '1970-01-01T00:00:00.000Z',
    })
  })

  test('a terminal gets the live view in colour, NO_COLOR or CI take the colour or the redrawing away', () => {
    const drawn = (env: Record<string, string>, isTTY: boolean) => {
      const out = capture()
      const shot = record('a', { state: 'failed', error: 'boom' })
      const run = runState([shot], Date.now())
      const view = chooseView({ stream: out.stream, isTTY, env, json: false })
      view.shotChanged(run, shot)
      view.close(run)
      return out.text()
    }
    expect(drawn({}, true)).toContain('\x1b[31m')
    expect(drawn({ NO_COLOR: '1' }, true)).not.toContain('\x1b[31m')
    expect(drawn({ NO_COLOR: '1' }, true)).toContain(']  1/1 shots  $0.00 of ~$0.45')
    expect(drawn({ CI: 'true', NO_COLOR: '1' }, true)).toMatch(/^\[ +0 s\] a: failed \(boom\)\n/)
    expect(drawn({}, false)).not.toContain('\x1b')
  })

  test('the live view has a line per shot and a summary with bar, spend and time left', () => {
    const a = record('a', { state: 'done', submittedAt: 1_000_000, completedAt: 1_010_000 })
    const b = record('b', {
      state: 'processing',
      submittedAt: 1_010_000,
      attempts: [
        { predictionId: 'p2', cost: 0.45 },
        { predictionId: 'p3', cost: 0.45 },
      ],
    })
    const run = runState([a, b])
    run.spent = 0.9
    const lines = frame(run, plain, 1_015_000, 40, 120)
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/^✓ a\s+done\s+10 s/)
    expect(lines[1]).toMatch(/^… b\s+processing\s+5 s\s+attempt 2, p3/)
    expect(lines[2]).toContain('1/2 shots')
    expect(lines[2]).toContain('$0.90 of ~$0.90')
    // 15 s of rendering left at the observed speed, then stitching 10 s of video (1 s + 0.1 s per second).
    expect(lines[2]).toContain('left 17 s')
    expect(lines.join('')).not.toContain('\x1b')
  })

  test('the live view prints notes above the block, and below the final picture once closed', async () => {
    const out = capture()
    const shot = record('a', { state: 'processing' })
    const run = runState([shot], Date.now())
    const view = createTtyView(out.stream, { style: plain })
    view.shotChanged(run, shot)
    await new Promise((resolve) => setTimeout(resolve, 150))
    view.note('Stopping: no new shots will be submitted.')
    // The block (2 lines) is erased, the note printed, the block drawn again under it.
    expect(out.text()).toMatch(/\x1b\[2F\x1b\[JStopping: no new shots will be submitted\.\n… a +processing/)
    shot.state = 'done'
    view.close(run)
    const before = out.text().length
    view.note('Interrupted; run the same command again.')
    expect(out.text().slice(before)).toBe('Interrupted; run the same command again.\n')
  })

  test('no line of the live view is wider than the terminal, colours or not', () => {
    const color = createStyle({
      stdout: process.stdout,
      stderr: process.stderr,
      cwd: '',
      env: {},
      isTTY: true,
    })
    const shot = record('a-rather-long-shot-name', {
      state: 'failed',
      error: 'Prediction 0123456789abcdef failed: the service was unavailable, try again later',
      attempts: [{ predictionId: 'p1', cost: 0 }],
    })
    const run = runState([shot], 0)
    for (const style of [plain, color]) {
      for (const line of frame(run, style, 5000, 40, 50))
        expect(line.replace(/\x1b\[[0-9;]*m/g, '').length).toBeLessThanOrEqual(50)
    }
  })

  test('time left follows the observed speed, ignores cached shots and includes stitching', () => {
    const run = runState([
      record('a', { state: 'done' }),
      record('b', { state: 'cached' }),
      record('c', { state: 'queued', duration: 10 }),
    ])
    // 10 s of rendering at the observed speed, then stitching 20 s of video: 1 s + 2 s.
    expect(estimateRemainingMs(run, run.startedAt + 5000)).toBe(13_000)
    expect(estimateRemainingMs(runState([record('x', { state: 'queued' })]), 0)).toBeUndefined()
    // Once stitching reports progress, its own pace: the join (70–95 % of stitching) half done (82.5 %) after 8.25 s: 1.75 s left.
    run.shots[2]!.state = 'done'
    run.assembly = { phase: 'join', fraction: 0.5, startedAt: 100_000 }
    expect(estimateRemainingMs(run, 108_250)).toBeCloseTo(1750, 0)
  })

  test('stitching: an assemble event per phase and whole percent in NDJSON, a line per phase, a bar in the live view', () => {
    const json = capture()
    const lines = capture()
    const run = runState([record('a', { state: 'done' })])
    const views = [
      createJsonView(json.stream, () => 0),
      createLineView(lines.stream, { style: plain, now: () => run.startedAt }),
    ]
    for (const [phase, fraction] of [
      ['normalize', 0],
      ['normalize', 0.501],
      ['normalize', 0.502],
      ['join', 0.25],
      ['join', 1],
    ] as const) {
      run.assembly = { phase, fraction, startedAt: run.startedAt }
      for (const view of views) view.assembling(run)
    }
    const events = json
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(events).toEqual([
      { type: 'assemble', phase: 'normalize', percent: 0, version: 1, time: '1970-01-01T00:00:00.000Z' },
      { type: 'assemble', phase: 'normalize', percent: 50, version: 1, time: '1970-01-01T00:00:00.000Z' },
      { type: 'assemble', phase: 'join', percent: 25, version: 1, time: '1970-01-01T00:00:00.000Z' },
      { type: 'assemble', phase: 'join', percent: 100, version: 1, time: '1970-01-01T00:00:00.000Z' },
    ])
    expect(lines.text()).toBe('[     0 s] stitching: normalize\n[     0 s] stitching: join\n')
    run.assembly = { phase: 'join', fraction: 0.5, startedAt: run.startedAt }
    expect(frame(run, plain, run.startedAt + 1000, 40, 120).at(-1)).toMatch(
      /^\[#{12}-{12}\] {2}stitching: join 50% {2}1\/1 shots/,
    )
  })
})
