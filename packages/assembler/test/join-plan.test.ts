import { expect, test } from 'vitest'
import type { Canvas } from '../src/canvas.ts'
import {
  audioJoinChain,
  planJoins,
  type PlannedJoin,
  reelFrameCount,
  videoJoinChain,
} from '../src/join-plan.ts'

/** Video and audio graphs of segments read from inputs `i:v`/`i:a`. */
function joinGraph(
  segments: readonly { frames: number; samples: number }[],
  joins: readonly PlannedJoin[],
  on: Canvas,
): { graph: string; videoLabel: string } {
  const video = videoJoinChain(segments, joins, on, (i) => `${i}:v`)
  const audio = audioJoinChain(segments, joins, on, (i) => `${i}:a`)
  return { graph: [...video.parts, ...audio.parts].join(';'), videoLabel: video.label }
}

const canvas = { width: 160, height: 90, frameRate: '24', fps: 24 }

test('transitions become whole frames, clamped to half the shorter neighbour', () => {
  const joins = planJoins(
    [
      { frames: 120, transition: { type: 'crossfade', duration: 1 } },
      { frames: 120, transition: { type: 'crossfade', duration: 0.5 } },
      { frames: 20, transition: { type: 'fade-black', duration: 2 } },
      { frames: 48, transition: { type: 'crossfade', duration: 0.01 } },
    ],
    24,
  )
  expect(joins).toEqual([
    { type: 'cut', frames: 0 },
    { type: 'crossfade', frames: 12 },
    { type: 'fade-black', frames: 10 },
    { type: 'cut', frames: 0 },
  ])
  expect(reelFrameCount([120, 120, 20, 48], joins)).toBe(120 + 120 - 12 + 20 + 48)
})

test('each crossfade starts at the running length minus its duration', () => {
  const segments = [48, 48, 48].map((frames) => ({ frames, samples: frames * 2000 }))
  const joins = [
    { type: 'cut', frames: 0 },
    { type: 'crossfade', frames: 12 },
    { type: 'crossfade', frames: 24 },
  ] as const
  const { graph } = joinGraph(segments, joins, canvas)
  // The fade starts half a frame before the first blended frame (48 − 12 = 36 → 35.5 / 24 s).
  expect(graph).toContain(
    'setpts=round((N+36)*1000000*1/24),format=yuva420p,fade=t=in:st=1.479167:d=0.500000:alpha=1',
  )
  // Running length after the first crossfade: 48 + 48 − 12 = 84 frames; minus 24 → 59.5 / 24 s.
  expect(graph).toContain(
    'setpts=round((N+60)*1000000*1/24),format=yuva420p,fade=t=in:st=2.479167:d=1.000000:alpha=1',
  )
  expect(graph).toContain('acrossfade=ns=24000')
  expect(graph).toContain('acrossfade=ns=48000')
})

test('the incoming segment fades in through its alpha over the held running video, stamped on one frame grid', () => {
  const segments = [48, 48, 30].map((frames) => ({ frames, samples: frames * 2000 }))
  const joins = [
    { type: 'cut', frames: 0 },
    { type: 'crossfade', frames: 12 },
    { type: 'crossfade', frames: 6 },
  ] as const
  const { graph, videoLabel } = joinGraph(segments, joins, {
    ...canvas,
    frameRate: '30000/1001',
    fps: 30000 / 1001,
  })
  expect(graph).not.toContain('xfade')
  // The running 48 frames are held for 48 − 12 more; the incoming segment starts at frame 36, half a frame into its fade.
  expect(graph).toContain('[v0]tpad=stop_mode=clone:stop=36,setpts=round((N)*1000000*1001/30000)[xb1]')
  expect(graph).toContain(
    '[v1]setpts=round((N+36)*1000000*1001/30000),format=yuva420p,fade=t=in:st=1.184517:d=0.400400:alpha=1[xo1]',
  )
  expect(graph).toContain('[xb1][xo1]overlay=format=yuv420[jv1]')
  // Running length 84; the second crossfade enters at 84 − 6 = 78.
  expect(graph).toContain('[jv1]tpad=stop_mode=clone:stop=24,')
  expect(graph).toContain('setpts=round((N+78)*1000000*1001/30000)')
  expect(graph).toContain('acrossfade=ns=19219:')
  expect(videoLabel).toBe('jv2')
})
