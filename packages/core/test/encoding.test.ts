import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { loadStoryboard } from '../src/index.ts'
import { invalidUtf8Offset } from '../src/storyboard-file.ts'

async function findings(bytes: Buffer) {
  const dir = await mkdtemp(join(tmpdir(), 'storyreel-encoding-'))
  await writeFile(join(dir, 's.yaml'), bytes)
  return (await loadStoryboard(join(dir, 's.yaml'))).issues.map(({ code, line, col, message }) => ({
    code,
    line,
    col,
    message,
  }))
}

const prefix = 'version: 1\nshots:\n  - id: a\n    model: kling-v2.1-t2v-master\n    prompt: Caf'

describe('storyboards must be UTF-8', () => {
  test('a Latin-1 byte is rejected with its offset, line and column, not silently replaced', async () => {
    const bytes = Buffer.concat([Buffer.from(prefix), Buffer.from([0xe9]), Buffer.from(' au lait\n')])
    expect(await findings(bytes)).toEqual([
      {
        code: 'CORE_FILE_ENCODING',
        line: 5,
        col: 16,
        message: `byte 0xE9 at offset ${prefix.length} is not UTF-8; save the file as UTF-8`,
      },
    ])
  })

  test('the column counts characters, so it matches the editor after multi-byte text on the line', async () => {
    const before = `${prefix.replace('Caf', 'Ça caf')}é `
    const bytes = Buffer.concat([Buffer.from(before), Buffer.from([0xff]), Buffer.from('\n')])
    const [issue] = await findings(bytes)
    expect(issue).toMatchObject({ code: 'CORE_FILE_ENCODING', line: 5, col: 21 }) // 23 if bytes were counted
    expect(issue!.message).toBe(
      `byte 0xFF at offset ${Buffer.byteLength(before)} is not UTF-8; save the file as UTF-8`,
    )
  })

  test('UTF-16 is named as such, not as a binary file', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('version: 1\n', 'utf16le')])
    expect(await findings(bytes)).toEqual([
      { code: 'CORE_FILE_ENCODING', line: 0, col: 0, message: 'is UTF-16 text; save it as UTF-8' },
    ])
  })

  test('valid UTF-8 with accents, emoji and a byte-order mark is accepted', async () => {
    const bytes = Buffer.from(`\ufeff${prefix}é ☕ 🎬\n`)
    expect(await findings(bytes)).toEqual([])
  })
})

test.each([
  ['ascii', [0x61, 0x62], -1],
  ['two-byte é', [0xc3, 0xa9], -1],
  ['overlong C0', [0x61, 0xc0, 0x80], 1],
  ['truncated three-byte', [0x61, 0xe2, 0x82], 1],
  ['a surrogate (ED A0 80)', [0xed, 0xa0, 0x80], 0],
  ['past U+10FFFF (F4 90)', [0xf4, 0x90, 0x80, 0x80], 0],
  ['four-byte emoji then a stray continuation', [0xf0, 0x9f, 0x8e, 0xac, 0x80], 4],
  ['invalid continuation after a good lead', [0xe2, 0x28, 0xa1], 0],
])('invalidUtf8Offset: %s', (_, bytes, expected) => {
  expect(invalidUtf8Offset(Uint8Array.from(bytes))).toBe(expected)
})
