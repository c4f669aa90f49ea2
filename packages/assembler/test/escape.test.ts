import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { runFfmpeg } from '../src/index.ts'
import { concatListLine, filterValue } from '../src/internal/escape.ts'
import { findFont } from '../src/internal/font.ts'
import { tempDir } from './helpers.ts'

const NASTY = `it's a "test": [brackets], semi; back\\slash 100% %{pts} \\n`

test('filterValue escapes both filtergraph levels', () => {
  expect(filterValue(`a:b`)).toBe(`\\'a:b\\'`)
  expect(filterValue(`it's`)).toBe(`\\'it\\'\\\\\\'\\'s\\'`)
  expect(filterValue('[x],y;')).toBe(`\\'\\[x\\]\\,y\\;\\'`)
})

test('drawn text matches the same text read from a file, byte for byte', async () => {
  const dir = await tempDir()
  const font = await findFont()
  expect(font).toBeDefined()
  const textfile = join(dir, 'text.txt')
  await writeFile(textfile, NASTY)
  const render = async (option: string, out: string): Promise<Buffer> => {
    const draw = `drawtext=fontfile=${filterValue(font!)}:${option}:expansion=none:fontsize=12:fontcolor=white:x=2:y=2`
    await runFfmpeg([
      '-y',
      '-f',
      'lavfi',
      '-i',
      'color=c=black:s=480x24',
      '-vf',
      draw,
      '-frames:v',
      '1',
      '-f',
      'image2',
      '-c:v',
      'png',
      out,
    ])
    return readFile(out)
  }
  const fromText = await render(`text=${filterValue(NASTY)}`, join(dir, 'a.png'))
  const fromFile = await render(`textfile=${filterValue(textfile)}`, join(dir, 'b.png'))
  expect(fromText.equals(fromFile)).toBe(true)
})

test('concat list lines survive quotes in paths', async () => {
  const dir = await tempDir()
  const clip = join(dir, `it's [a] clip, 1.mp4`)
  await runFfmpeg([
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc=s=64x36:d=0.5',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    clip,
  ])
  const list = join(dir, 'list.txt')
  await writeFile(list, `${concatListLine(clip)}\n${concatListLine(clip)}\n`)
  await expect(
    runFfmpeg(['-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', join(dir, 'out.mp4')]),
  ).resolves.toBeUndefined()
})
