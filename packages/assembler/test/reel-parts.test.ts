import { expect, test } from 'vitest'
import { concatList } from '../src/join-parts.ts'
import { planParts, segmentWindow } from '../src/reel-parts.ts'

const CUT = { type: 'cut', duration: 0 } as const
/** A 120-frame mezzanine with IDRs at 0, 1 and every 12 frames, as MEZZANINE makes them at 24 fps. */
const facts = (name: string) => ({
  file: `${name}.mov`,
  key: name,
  frames: 120,
  keyframes: [0, 1, 12, 24, 36, 48, 60, 72, 84, 96, 108],
})

test('a segment is a frame range of its mezzanine: trims round to frames, a seam drops frame 0 unless trimmed', () => {
  expect(segmentWindow(120, { seam: false }, 24)).toEqual({ start: 0, end: 120 })
  expect(segmentWindow(120, { seam: true }, 24)).toEqual({ start: 1, end: 120 })
  expect(segmentWindow(120, { seam: true, trim: { start: 0.3, end: 4 } }, 24)).toEqual({ start: 7, end: 96 })
  expect(() => segmentWindow(120, { seam: false, trim: { start: 4, end: 2 } }, 24)).toThrow(/leaves nothing/)
})

test('only transitions and starts between keyframes are re-encoded; everything else is copied from a keyframe', () => {
  const parts = planParts(
    [
      { facts: facts('a'), cut: { seam: false }, transition: CUT },
      { facts: facts('b'), cut: { seam: true }, transition: { type: 'crossfade', duration: 0.5 } },
      { facts: facts('c'), cut: { seam: false, trim: { start: 0.3 } }, transition: CUT },
      { facts: facts('d'), cut: { seam: false }, transition: { type: 'fade-black', duration: 0.5 } },
    ],
    24,
  )
  // a: copied up to the 12 frames the crossfade takes.
  expect(parts[0]).toEqual({ copy: { file: 'a.mov', key: 'a', from: 0, to: 108 } })
  // b: the crossfade (a's last 12 + the run-up frame, b's first 12 after its seam frame) runs on to b's IDR at 24.
  expect(parts[1]).toEqual({
    piece: {
      outgoing: { file: 'a.mov', key: 'a', from: 107, to: 120 },
      incoming: { file: 'b.mov', key: 'b', from: 1, to: 24 },
      join: { type: 'crossfade', frames: 12 },
      frames: 23,
    },
    copy: { file: 'b.mov', key: 'b', from: 24, to: 120 },
  })
  // c: trimmed to start at frame 7, between IDRs: frames 7–11 re-encoded, the rest copied up to the fade's half.
  expect(parts[2]).toEqual({
    piece: {
      incoming: { file: 'c.mov', key: 'c', from: 7, to: 12 },
      join: { type: 'cut', frames: 0 },
      frames: 5,
    },
    copy: { file: 'c.mov', key: 'c', from: 12, to: 114 },
  })
  // d: c's last 6 frames fade out, d's first 6 fade in, then on to d's IDR at 12.
  expect(parts[3]).toEqual({
    piece: {
      outgoing: { file: 'c.mov', key: 'c', from: 113, to: 120 },
      incoming: { file: 'd.mov', key: 'd', from: 0, to: 12 },
      join: { type: 'fade-black', frames: 12 },
      frames: 18,
    },
    copy: { file: 'd.mov', key: 'd', from: 12, to: 120 },
  })
})

test('a piece waits for the clips it depends on, but not for the next one when it ends before anything that one can take', () => {
  const crossfade = { type: 'crossfade', duration: 0.5 } as const
  const parts = planParts(
    [
      { facts: facts('a'), cut: { seam: false }, transition: CUT },
      { facts: undefined, cut: { seam: false }, transition: crossfade },
      { facts: facts('c'), cut: { seam: false }, transition: crossfade },
      { facts: facts('d'), cut: { seam: false }, transition: crossfade },
      { facts: undefined, cut: { seam: false }, transition: crossfade },
    ],
    24,
  )
  // a needs no piece, and where its body ends waits for b; b's and c's pieces need b; d's piece is known, its body's end is not.
  expect(parts.slice(0, 3)).toEqual([{}, undefined, undefined])
  expect(parts[3]).toEqual({
    piece: {
      outgoing: { file: 'c.mov', key: 'c', from: 107, to: 120 },
      incoming: { file: 'd.mov', key: 'd', from: 0, to: 12 },
      join: { type: 'crossfade', frames: 12 },
      frames: 12,
    },
  })
  expect(parts[4]).toBeUndefined()
})

test('the concat list puts every entry on the frame grid: bodies enter at their keyframe and stop half a frame early', () => {
  const list = concatList(
    [
      { file: '/w/a.mov', from: 0, to: 108 },
      { file: "/w/it's.mov", frames: 23 },
      { file: '/w/b.mov', from: 24, to: 114 },
    ],
    30000 / 1001,
  )
  expect(list.split('\n')).toEqual([
    'ffconcat version 1.0',
    "file '/w/a.mov'",
    'outpoint 3.586917',
    'duration 3.603600',
    "file '/w/it'\\''s.mov'",
    'duration 0.767433',
    "file '/w/b.mov'",
    'inpoint 0.800800',
    'outpoint 3.787117',
    'duration 3.003000',
    '',
  ])
})
