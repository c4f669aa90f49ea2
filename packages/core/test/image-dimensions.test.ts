import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { expect, test } from 'vitest'
import { loadStoryboard } from '../src/index.ts'

/** A real PNG whose IHDR chunk (with a valid CRC) claims `width`x`height`. */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await readFile(join(import.meta.dirname, 'fixtures', 'images', 'start.png')))
  // Signature (8), length (4), "IHDR" (4), then width and height; the CRC covers type + data (17 bytes).
  png.writeUInt32BE(width, 16)
  png.writeUInt32BE(height, 20)
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29)
  return png
}

async function findings(png: Buffer) {
  const dir = await mkdtemp(join(tmpdir(), 'storyreel-dimensions-'))
  await writeFile(join(dir, 'huge.png'), png)
  await writeFile(
    join(dir, 's.yaml'),
    'version: 1\nshots:\n  - id: a\n    model: kling-v2.1-i2v-pro\n    image: huge.png\n    prompt: x\n',
  )
  return (await loadStoryboard(join(dir, 's.yaml'))).issues.map(({ code, line, col, message }) => ({
    code,
    line,
    col,
    message,
  }))
}

test('a PNG whose header claims 100000x100000 is refused by validate, with the numbers', async () => {
  expect(await findings(await pngClaiming(100_000, 100_000))).toEqual([
    {
      code: 'CORE_IMAGE_DIMENSIONS',
      line: 5,
      col: 12,
      message:
        'image "huge.png" is 100000x100000; storyreel takes at most 8192 pixels on a side (Kling renders at most 1080p, so nothing is lost): scale it down, e.g. ffmpeg -i in.png -vf scale=1920:-2 out.png',
    },
  ])
})

test('the largest side allowed, 8192, passes', async () => {
  expect(await findings(await pngClaiming(8192, 4096))).toEqual([])
})

test('a header with a zero side is a damaged file, not "0x0, too small"', async () => {
  expect(await findings(await pngClaiming(0, 720))).toEqual([
    {
      code: 'CORE_IMAGE_FORMAT',
      line: 5,
      col: 12,
      message:
        'image "huge.png" is a PNG whose header gives no usable size; the file is damaged, export it again',
    },
  ])
})
