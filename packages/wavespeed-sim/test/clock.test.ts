import { expect, test } from 'vitest'
import { elapsedMs, monotonicNow, sleepUntil } from '../src/clock.ts'

test('sleepUntil never ends before its deadline, although a plain timer can fire up to 1 ms early', async () => {
  // libuv counts timers in whole milliseconds, so a timer started late in a millisecond
  // fires before its full duration has passed: a setTimeout(1000) measured 999 ms.
  const busy = (ms: number) => {
    const end = performance.now() + ms
    while (performance.now() < end);
  }
  const signal = new AbortController().signal
  const short: number[] = []
  for (let i = 0; i < 100; i++) {
    busy((i % 10) / 10)
    const start = monotonicNow()
    await sleepUntil(start + 10, signal)
    const slept = monotonicNow() - start
    if (slept < 10 || elapsedMs(start, monotonicNow()) < 10) short.push(slept)
  }
  expect(short).toEqual([])
})
