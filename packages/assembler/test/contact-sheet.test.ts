import { join } from 'node:path'
import { expect, test } from 'vitest'
import { contactSheet, probeMedia, runFfmpeg } from '../src/index.ts'
import { lumaSeries, makeClip, tempDir } from './helpers.ts'

test('one labelled tile per shot with its first and last frame, in a grid', async () => {
  const dir = await tempDir()
  const clips = await Promise.all(
    [0, 1, 2, 3].map((i) =>
      makeClip(join(dir, `${i}.mp4`), {
        frames: 24 + i,
        width: 96,
        height: 54,
        lumaBase: 30 + 10 * i,
        lumaStep: 4,
      }),
    ),
  )
  const png = join(dir, 'sheet.png')
  const given = join(dir, 'given-last.png')
  await runFfmpeg([
    '-y',
    '-f',
    'lavfi',
    '-i',
    'color=c=black:s=96x54,geq=lum=230:cb=128:cr=128',
    '-frames:v',
    '1',
    given,
  ])
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

/** A flat grey PNG of `luma`. */
async function still(file: string, luma: number, size = '96x54'): Promise<string> {
  await runFfmpeg([
    '-y',
    '-f',
    'lavfi',
    '-i',
    `color=c=black:s=${size},geq=lum=${luma}:cb=128:cr=128`,
    '-frames:v',
    '1',
    file,
  ])
  return file
}

test('from frames already extracted, no clip is read', async () => {
  const dir = await tempDir()
  const shots = await Promise.all(
    [0, 1].map(async (i) => ({
      id: `s${i}`,
      first: await still(join(dir, `${i}.first.png`), 40 + 100 * i),
      last: await still(join(dir, `${i}.last.png`), 80 + 100 * i),
    })),
  )
  const stages: number[] = []
  const result = await contactSheet(shots, join(dir, 'sheet.png'), {
    frameWidth: 160,
    onProgress: (p) => stages.push(p.fraction),
  })
  expect(result).toMatchObject({ columns: 2, rows: 1, width: 2 * 320 + 3 * 8 })
  expect(stages).toEqual([0, 1])
  const frame = { w: 100, h: 60, y: 8 + 10 }
  const [first1] = await lumaSeries(result.file, dir, { ...frame, x: 8 + 320 + 8 + 30 })
  const [last1] = await lumaSeries(result.file, dir, { ...frame, x: 8 + 320 + 8 + 160 + 30 })
  expect(first1).toBeCloseTo(140, -1)
  expect(last1).toBeCloseTo(180, -1)
})

test('several takes of a shot side by side, the picked one framed in a bright colour', async () => {
  const dir = await tempDir()
  const takes = await Promise.all(
    [1, 2, 3].map(async (take) => ({
      take,
      first: await still(join(dir, `t${take}.first.png`), 30 * take),
      last: await still(join(dir, `t${take}.last.png`), 30 * take + 10),
      picked: take === 2,
    })),
  )
  const single = {
    id: 'other',
    first: await still(join(dir, 'o.first.png'), 200),
    last: await still(join(dir, 'o.last.png'), 210),
  }
  const result = await contactSheet([{ id: 'hero', takes }, single], join(dir, 'sheet.png'), {
    frameWidth: 160,
  })
  // A row per shot, three takes wide: each take is 2 × 160 plus a 4-pixel frame on each side, 8 between takes.
  const cell = 2 * 160 + 2 * 4
  expect(result).toMatchObject({ columns: 1, rows: 2, width: 3 * cell + 2 * 8 + 2 * 8 })
  const info = await probeMedia(result.file)
  expect([info.video?.width, info.video?.height]).toEqual([result.width, result.height])
  const strip = (x: number): { x: number; y: number; w: number; h: number } => ({ x, y: 8 + 30, w: 2, h: 20 })
  // The frame's left edge: background grey for takes 1 and 3, bright for the picked take 2.
  const [edge1] = await lumaSeries(result.file, dir, strip(8 + 1))
  const [edge2] = await lumaSeries(result.file, dir, strip(8 + cell + 8 + 1))
  const [edge3] = await lumaSeries(result.file, dir, strip(8 + 2 * (cell + 8) + 1))
  expect(edge2! - edge1!).toBeGreaterThan(100)
  expect(Math.abs(edge3! - edge1!)).toBeLessThan(5)
  // Take 3's last frame sits where it should.
  const [last3] = await lumaSeries(result.file, dir, {
    x: 8 + 2 * (cell + 8) + 4 + 160 + 30,
    y: 8 + 4 + 10,
    w: 100,
    h: 60,
  })
  expect(last3).toBeCloseTo(100, -1)
})
