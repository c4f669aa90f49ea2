import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeImage } from '@storyreel/test-utils'

/**
 * Three chains in five shots, small enough to render in seconds:
 * a1 (text) → a2 → c1 (after a2), and b1 (image) → b2.
 * The reel's seams: a2 follows a1 and b2 follows b1 in the reel, c1 does not follow a2.
 */
export const CHAINS_STORYBOARD = `version: 1
title: Three chains
defaults:
  model: kling-v2.1-i2v-pro
  duration: 5
  guidance_scale: 0.4
  negative_prompt: blur
style: test pattern
output:
  file: chains.mp4
  width: 320
  height: 180
  fps: 24
shots:
  - id: a1
    model: kling-v2.5-turbo-pro/text-to-video
    prompt: A lighthouse on a cliff at night.
  - id: a2
    prompt: The beam sweeps over the sea.
  - id: b1
    image: images/start.png
    prompt: A harbour at dawn.
  - id: b2
    prompt: Gulls lift off the pier.
  - id: c1
    image: { after: a2 }
    prompt: The storm clears over the water.
`

/** Each chained shot and the shot whose last frame it starts from. */
export const CHAINED = [
  ['a2', 'a1'],
  ['b2', 'b1'],
  ['c1', 'a2'],
] as const

/** Seconds of video in the reel: five 5 s shots, less the repeated first frame of the two seams at 24 fps. */
export const CHAINS_REEL_SECONDS = 25 - 2 / 24

export interface Fixture {
  readonly dir: string
  readonly storyboard: string
  readonly cacheDir: string
}

/** A temp dir with the storyboard and its (generated) images. */
export async function writeFixture(text: string = CHAINS_STORYBOARD, name = 'chains.yaml'): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'storyreel-e2e-'))
  await mkdir(join(dir, 'images'))
  await makeImage(join(dir, 'images', 'start.png'), { width: 480, height: 320 })
  const storyboard = join(dir, name)
  await writeFile(storyboard, text)
  return { dir, storyboard, cacheDir: join(dir, 'cache') }
}

/** Every file under `root`, recursively. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true })
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

/** Files under `root` whose bytes contain `needle`. */
export async function filesContaining(root: string, needle: string): Promise<string[]> {
  const hits: string[] = []
  const bytes = Buffer.from(needle)
  for (const file of await listFiles(root)) if ((await readFile(file)).includes(bytes)) hits.push(file)
  return hits
}
