import { access, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { extractFrames } from '@storyreel/assembler'
import { makeClip, tempDir } from '@storyreel/test-utils'
import { describe, expect, test } from 'vitest'
import { sharedDecodeHooks } from '../src/render/clip-hooks.ts'

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  )

describe('verifying a clip and taking its frames share one decode', () => {
  test(
    'the frames verification wrote are moved into place, identical to an extraction of their own',
    { timeout: 60_000 },
    async () => {
      const dir = await tempDir('storyreel-hooks-')
      const clip = await makeClip(join(dir, 'a.mp4'), { seconds: 2 })
      const hooks = sharedDecodeHooks(join(dir, 'work'))
      await hooks.verifyClip(clip, { duration: 2 }, {})
      await hooks.extractFrames(clip, { last: join(dir, 'a.last.png') }, {})
      await hooks.extractFrames(clip, { first: join(dir, 'a.first.png') }, {})
      await extractFrames(clip, { first: join(dir, 'ref.first.png'), last: join(dir, 'ref.last.png') })
      expect(await readFile(join(dir, 'a.last.png'))).toEqual(await readFile(join(dir, 'ref.last.png')))
      expect(await readFile(join(dir, 'a.first.png'))).toEqual(await readFile(join(dir, 'ref.first.png')))
    },
  )

  test(
    'the last frame a chained shot took before verification is not written again: nothing is left in the work folder',
    { timeout: 60_000 },
    async () => {
      const dir = await tempDir('storyreel-hooks-')
      const clip = await makeClip(join(dir, 'a.mp4'), { seconds: 2 })
      const work = join(dir, 'work')
      const hooks = sharedDecodeHooks(work)
      await hooks.extractFrames(clip, { last: join(dir, 'a.last.png') }, {})
      await hooks.verifyClip(clip, { duration: 2 }, {})
      await hooks.extractFrames(clip, { first: join(dir, 'a.first.png') }, {})
      await extractFrames(clip, { first: join(dir, 'ref.first.png') })
      expect(await readFile(join(dir, 'a.first.png'))).toEqual(await readFile(join(dir, 'ref.first.png')))
      expect(await readdir(join(work, 'verified-frames'))).toEqual([])
    },
  )

  test(
    'a clip replaced after it was verified, or never verified, has its frames extracted from itself',
    { timeout: 60_000 },
    async () => {
      const dir = await tempDir('storyreel-hooks-')
      const clip = await makeClip(join(dir, 'a.mp4'), { seconds: 1 })
      const hooks = sharedDecodeHooks(join(dir, 'work'))
      await hooks.verifyClip(clip, { duration: 1 }, {})
      await makeClip(join(dir, 'b.mp4'), { seconds: 2 })
      await writeFile(clip, await readFile(join(dir, 'b.mp4')))
      await hooks.extractFrames(clip, { last: join(dir, 'a.last.png') }, {})
      await extractFrames(join(dir, 'b.mp4'), { last: join(dir, 'b.last.png') })
      expect(await readFile(join(dir, 'a.last.png'))).toEqual(await readFile(join(dir, 'b.last.png')))
      await hooks.extractFrames(join(dir, 'b.mp4'), { first: join(dir, 'b.first.png') }, {})
      expect(await exists(join(dir, 'b.first.png'))).toBe(true)
    },
  )

  test(
    'a clip that fails verification leaves no frames behind and is rejected',
    { timeout: 60_000 },
    async () => {
      const dir = await tempDir('storyreel-hooks-')
      const clip = await makeClip(join(dir, 'a.mp4'), { seconds: 1 })
      const hooks = sharedDecodeHooks(join(dir, 'work'))
      await expect(hooks.verifyClip(clip, { duration: 5 }, {})).rejects.toMatchObject({
        code: 'ASM_CLIP_INVALID',
      })
      await hooks.extractFrames(clip, { last: join(dir, 'a.last.png') }, {})
      expect(await exists(join(dir, 'a.last.png'))).toBe(true)
    },
  )
})
