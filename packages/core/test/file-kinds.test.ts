import { execFileSync } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { loadStoryboard } from '../src/index.ts'

const fixtures = join(import.meta.dirname, 'fixtures')
const unix = process.platform !== 'win32'

/** A temp folder with a FIFO named `name` in it (nothing ever writes to it: reading it would block forever). */
async function dirWithFifo(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'storyreel-kinds-'))
  execFileSync('mkfifo', [join(dir, name)])
  return dir
}

const findings = async (file: string) =>
  (await loadStoryboard(file)).issues.map(({ code, line, col, message }) => ({ code, line, col, message }))

/** A one-shot image-to-video storyboard starting from `image`. */
const withImage = (image: string) =>
  `version: 1\nshots:\n  - id: a\n    model: kling-v2.1-i2v-pro\n    image: ${image}\n    prompt: x\n`

describe.skipIf(!unix)('storyboards, images and soundtracks must be regular files', () => {
  // Each of these hung or grew without bound before: a short timeout turns that into a failure.
  test(
    'a FIFO as the storyboard is refused at once, not read (which would block forever)',
    { timeout: 5000 },
    async () => {
      const dir = await dirWithFifo('board.yaml')
      expect(await findings(join(dir, 'board.yaml'))).toEqual([
        {
          code: 'CORE_FILE_NOT_REGULAR',
          line: 0,
          col: 0,
          message: 'is a named pipe (FIFO), not a regular file; give the path of a storyboard .yaml file',
        },
      ])
    },
  )

  test(
    '/dev/zero (stat size 0) is refused as a device, also behind a symlink',
    { timeout: 5000 },
    async () => {
      expect((await findings('/dev/zero'))[0]).toMatchObject({
        code: 'CORE_FILE_NOT_REGULAR',
        message: expect.stringContaining('is a device file'),
      })
      const dir = await mkdtemp(join(tmpdir(), 'storyreel-kinds-'))
      await symlink('/dev/zero', join(dir, 'board.yaml'))
      expect((await findings(join(dir, 'board.yaml')))[0]?.code).toBe('CORE_FILE_NOT_REGULAR')
    },
  )

  test(
    'a device or a FIFO as an image is named for what it is, not "a folder"',
    { timeout: 5000 },
    async () => {
      const dir = await dirWithFifo('pipe.png')
      await writeFile(join(dir, 'dev.yaml'), withImage('/dev/zero'))
      await writeFile(join(dir, 'fifo.yaml'), withImage('pipe.png'))
      expect(await findings(join(dir, 'dev.yaml'))).toEqual([
        {
          code: 'CORE_IMAGE_NOT_REGULAR',
          line: 5,
          col: 12,
          message:
            'image "/dev/zero" is a device file, not an image file; give the path of a JPEG or PNG file',
        },
      ])
      expect(await findings(join(dir, 'fifo.yaml'))).toEqual([
        {
          code: 'CORE_IMAGE_NOT_REGULAR',
          line: 5,
          col: 12,
          message:
            'image "pipe.png" is a named pipe (FIFO), not an image file; give the path of a JPEG or PNG file',
        },
      ])
    },
  )

  test('a folder as an image is still called a folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'storyreel-kinds-'))
    await mkdir(join(dir, 'frames.png'))
    await writeFile(join(dir, 's.yaml'), withImage('frames.png'))
    expect(await findings(join(dir, 's.yaml'))).toEqual([
      {
        code: 'CORE_IMAGE_UNREADABLE',
        line: 5,
        col: 12,
        message: 'image "frames.png" is a folder, not an image file',
      },
    ])
  })

  test('a symlink to a real image is followed and accepted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'storyreel-kinds-'))
    await copyFile(join(fixtures, 'images', 'start.png'), join(dir, 'real.png'))
    await symlink(join(dir, 'real.png'), join(dir, 'link.png'))
    await writeFile(join(dir, 's.yaml'), withImage('link.png'))
    expect(await findings(join(dir, 's.yaml'))).toEqual([])
  })

  test('the soundtrack: a FIFO or a device is not a regular file, a folder is not "not found"', async () => {
    const dir = await dirWithFifo('music.m4a')
    await mkdir(join(dir, 'music'))
    const board = (file: string) =>
      `version: 1\noutput:\n  audio: { file: ${file} }\nshots:\n  - id: a\n    model: kling-v2.1-t2v-master\n    prompt: x\n`
    await writeFile(join(dir, 'fifo.yaml'), board('music.m4a'))
    await writeFile(join(dir, 'dev.yaml'), board('/dev/zero'))
    await writeFile(join(dir, 'folder.yaml'), board('music'))
    expect(await findings(join(dir, 'fifo.yaml'))).toEqual([
      {
        code: 'CORE_AUDIO_NOT_REGULAR',
        line: 3,
        col: 18,
        message:
          'audio file "music.m4a" is a named pipe (FIFO), not a regular file; give the path of an audio file (mp3, m4a, wav, ...)',
      },
    ])
    expect((await findings(join(dir, 'dev.yaml')))[0]).toMatchObject({
      code: 'CORE_AUDIO_NOT_REGULAR',
      message: expect.stringContaining('is a device file'),
    })
    expect(await findings(join(dir, 'folder.yaml'))).toEqual([
      {
        code: 'CORE_AUDIO_UNREADABLE',
        line: 3,
        col: 18,
        message: 'audio file "music" is a folder, not an audio file',
      },
    ])
  })
})

test('a storyboard is read with a hard cap: the size message still gives the size', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'storyreel-kinds-'))
  await writeFile(join(dir, 'big.yaml'), `# ${'x'.repeat(3 * 1024 * 1024)}\n`)
  expect(await findings(join(dir, 'big.yaml'))).toEqual([
    {
      code: 'CORE_FILE_TOO_LARGE',
      line: 0,
      col: 0,
      message: 'is 3.0 MB; a storyboard may be at most 1 MB (is this the right file?)',
    },
  ])
})
