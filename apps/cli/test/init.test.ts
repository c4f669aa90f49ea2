import { existsSync } from 'node:fs'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { isAbsolute, join, resolve } from 'node:path'
import { loadStoryboard } from '@storyreel/core'
import { tempDir } from '@storyreel/test-utils'
import { expect, test } from 'vitest'
import { runMain } from './helpers/run-main.ts'

const run = (argv: string[], cwd: string, env: Record<string, string> = {}) => runMain(argv, cwd, { env })

test('init writes a valid starter storyboard (two chains, an end image, crossfades) with its images and the schema line, then the next two commands', async () => {
  const cwd = await tempDir('storyreel-init-')
  const result = await run(['init', 'my-reel'], cwd)
  expect(result.code, result.stderr).toBe(0)
  expect(result.stdout).toBe(
    [
      'Wrote my-reel/first-reel.yaml and its 3 images in my-reel/images/.',
      'Next:',
      '  storyreel plan my-reel/first-reel.yaml      # the shots, their chains, cost and time',
      '  storyreel render my-reel/first-reel.yaml    # a free offline animatic; set WAVESPEED_API_KEY to render with Kling',
      '',
    ].join('\n'),
  )
  const board = join(cwd, 'my-reel', 'first-reel.yaml')
  const schemaLine = /^# yaml-language-server: \$schema=(\S+)\n/.exec(await readFile(board, 'utf8'))
  expect(schemaLine).not.toBeNull()
  const schema = schemaLine![1]!
  // Outside any node_modules here, so the installed schema's absolute path.
  expect(isAbsolute(schema) && existsSync(resolve(cwd, 'my-reel', schema))).toBe(true)
  expect(JSON.parse(await readFile(schema, 'utf8'))).toMatchObject({ title: 'storyreel storyboard' })

  const loaded = await loadStoryboard(board)
  expect(loaded.issues).toEqual([])
  if (!loaded.ok) throw new Error('starter storyboard is invalid')
  expect(loaded.plan.shots.map((s) => [s.id, s.start.kind])).toEqual([
    ['sunrise', 'file'],
    ['lighthouse', 'file'],
    ['beam', 'last-frame'],
  ])
  expect(loaded.plan.shots.filter((s) => s.end)).toHaveLength(1)
  expect(loaded.plan.output.transition.type).toBe('crossfade')
  expect((await readdir(join(cwd, 'my-reel', 'images'))).sort()).toEqual([
    'dawn.png',
    'harbor.png',
    'noon.png',
  ])
})

test('init refuses to overwrite anything and writes nothing; through npx it says npx in the next commands', async () => {
  const cwd = await tempDir('storyreel-init-')
  await writeFile(join(cwd, 'first-reel.yaml'), 'mine')
  const refused = await run(['init'], cwd)
  expect(refused).toMatchObject({ code: 1, stdout: '' })
  expect(refused.stderr).toContain(
    'Not overwriting first-reel.yaml: choose another folder (storyreel init DIR) or move them away. Nothing was written.',
  )
  expect(await readFile(join(cwd, 'first-reel.yaml'), 'utf8')).toBe('mine')
  expect(existsSync(join(cwd, 'images'))).toBe(false)

  const npx = await run(['init', 'here'], cwd, { npm_command: 'exec' })
  expect(npx.stdout).toContain('  npx storyreel render here/first-reel.yaml')
  expect((await run(['init', 'a', 'b'], cwd)).code).toBe(2)
})
