import { join } from 'node:path'
import { expect, test } from 'vitest'
import { contactSheet, probeMedia, runFfmpeg } from '../src/index.ts'
import { lumaSeries, makeClip, tempDir } from './helpers.ts'

test('one labelled tile per shot with its first and last frame, in a grid', async () => {
  const dir = await tempDir()
  const clips = await Promise.all(
    [0, 1, 2, 3].map((i) => makeClip(join(dir, `${i}.mp4`), { frames: 24 + i, width: 96, height: 54, lumaBase: 30 + 10 * i, lumaStep: 4 })),
  )
  const png = join(dir, 'sheet.png')
  const given = join(dir, 'given-last.png')
  await runFfmpeg(['-y', '-f', 'lavfi', '-i', 'color=c=black:s=96x54,geq=lum=230:cb=128:cr=128', '-frames:v', '1', given])
  const result = await contactSheet(
    clips.map((clip, i) => ({ id: `shot-${i}: "it's, [odd]"`, clip, ...(i === 1 && { lastFrame: given }) })),
    png,
    { columns: 3, frameWidth: 160 },
  )
  expect(result).toMatchObject({ columns: 3, rows: 2, labelled: true })
  const info = await probeMedia(png)
  expect([info.video?.width, info.video?.height]).toEqual([result.width, result.height])
  expect(result.width).toBe(3 * 320 + 4 * 8)
  // Tile 0: first frame (luma 30) on the left, last frame (30 + 4·23) on the right.
  const frame = { w: 100, h: 60, y: 8 + 10 }
  const [first] = await lumaSeries(png, dir, { ...frame, x: 8 + 30 })
  const [last] = await lumaSeries(png, dir, { ...frame, x: 8 + 160 + 30 })
  expect(first).toBeCloseTo(30, -1)
  expect(last).toBeCloseTo(30 + 4 * 23, -1)
  // Tile 1 shows the last frame it was given rather than extracting one.
  const [givenLast] = await lumaSeries(png, dir, { ...frame, x: 8 + 320 + 8 + 160 + 30 })
  expect(givenLast).toBeCloseTo(230, -1)
  // Tile 3 (second row, first column) ends on 60 + 4·26.
  const [tile3Last] = await lumaSeries(png, dir, { ...frame, x: 8 + 160 + 30, y: 8 + 90 + 15 + 8 + 10 })
  expect(tile3Last).toBeCloseTo(60 + 4 * 26, -1)
  // The id is drawn in the band under the frames: brighter than the empty end of the band.
  const band = { y: 8 + 90 + 2, h: 11, w: 60 }
  const [text] = await lumaSeries(png, dir, { ...band, x: 8 + 10 })
  const [empty] = await lumaSeries(png, dir, { ...band, x: 8 + 250 })
  expect(text! - empty!).toBeGreaterThan(15)
})
