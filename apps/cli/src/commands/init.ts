import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve, sep } from 'node:path'
import type { CliIo } from '../cli-io.ts'
import { type Command, EXIT, UsageError } from '../command.ts'
import { CliFailure, withFailureMessages } from '../render/failure.ts'
import { shortPath } from '../render/run-location.ts'

const STORYBOARD = 'first-reel.yaml'
const IMAGES = ['images/dawn.png', 'images/noon.png', 'images/harbor.png']

const require = createRequire(import.meta.url)

/**
 * The schema of the installed @storyreel/core: relative when it is in a node_modules the
 * storyboard's folder sits under (a project install), else its absolute path (global, npx).
 */
function schemaReference(dir: string): string {
  const schema = require.resolve('@storyreel/core/storyboard.schema.json')
  const rel = relative(dir, schema).split(sep).join('/')
  return /^(\.\.\/)*node_modules\//.test(rel) ? rel : schema
}

async function writeStarter(target: string, io: CliIo): Promise<number> {
  const dir = resolve(io.cwd, target)
  const starter = join(dirname(require.resolve('@storyreel/cli/package.json')), 'starter')
  const files = [STORYBOARD, ...IMAGES]
  const existing = []
  for (const file of files)
    if (await stat(join(dir, file)).catch(() => undefined)) existing.push(shortPath(io.cwd, join(dir, file)))
  if (existing.length > 0)
    throw new CliFailure(
      `Not overwriting ${existing.join(', ')}: choose another folder (storyreel init DIR) or move them away. Nothing was written.`,
    )

  await mkdir(join(dir, 'images'), { recursive: true })
  for (const image of IMAGES)
    await copyFile(join(starter, image), join(dir, image), 1 /* COPYFILE_EXCL: never replace */)
  const text = (await readFile(join(starter, STORYBOARD), 'utf8')).replace('{{schema}}', schemaReference(dir))
  await writeFile(join(dir, STORYBOARD), text, { flag: 'wx' })

  const board = shortPath(io.cwd, join(dir, STORYBOARD))
  // Run through npx (`npx storyreel init`), the next commands need it too.
  const bin = io.env.npm_command === 'exec' ? 'npx storyreel' : 'storyreel'
  io.stdout.write(
    [
      `Wrote ${board} and its ${IMAGES.length} images in ${shortPath(io.cwd, join(dir, 'images'))}/.`,
      'Next:',
      `  ${bin} plan ${board}      # the shots, their chains, cost and time`,
      `  ${bin} render ${board}    # a free offline animatic; set WAVESPEED_API_KEY to render with Kling`,
      '',
    ].join('\n'),
  )
  return EXIT.ok
}

export const initCommand: Command = {
  name: 'init',
  usage: 'storyreel init [DIR]',
  description: [
    `Writes a starter storyboard, ${STORYBOARD}, and its three images into DIR (default: the current folder):`,
    'two chains of shots, an end image and crossfades. Its first line points editors with the YAML',
    'language server at the installed schema. Never overwrites a file: it stops if any already exists.',
    'Exit code: 0 written, 1 a file was in the way, 2 usage error.',
  ].join('\n'),
  options: {},
  examples: ['storyreel init', 'storyreel init my-reel && storyreel render my-reel/first-reel.yaml'],
  run({ positionals }, io) {
    if (positionals.length > 1) throw new UsageError('init takes at most one folder', 'init')
    return withFailureMessages(io, () => writeStarter(positionals[0] ?? '.', io))
  },
}
