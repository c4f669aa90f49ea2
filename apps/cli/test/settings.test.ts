import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { tempDir } from '@storyreel/test-utils'
import { describe, expect, test } from 'vitest'
import { describeGaps } from '../src/output/ffmpeg-gaps.ts'
import { cacheDirOf } from '../src/render/cache-dir.ts'
import { migrateOldCache } from '../src/settings/migrate-cache.ts'
import { resolveSettings } from '../src/settings/settings.ts'

describe('settings: flags > environment > storyreel.config.yaml > defaults', () => {
  test('the nearest config file from the storyboard folder upwards, relative paths from its folder; each value says where it came from', async () => {
    const root = await tempDir('storyreel-settings-')
    const boards = join(root, 'project', 'boards')
    await mkdir(boards, { recursive: true })
    await writeFile(
      join(root, 'project', 'storyreel.config.yaml'),
      'concurrency: 3\nmaxCost: 5\nprovider: animatic\noutDir: out\ncacheDir: .cache\npoll: bounded\n',
    )
    const cwd = join(root, 'elsewhere')
    const env = { HOME: root, STORYREEL_MAX_COST: '7' }
    const settings = await resolveSettings({ flags: { concurrency: 1 }, env, cwd, startDir: boards })
    const config = join(root, 'project', 'storyreel.config.yaml')
    expect(settings.config?.file).toBe(config)
    expect(settings.concurrency).toEqual({ value: 1, source: '--concurrency' })
    expect(settings.maxCost).toEqual({ value: 7, source: 'STORYREEL_MAX_COST' })
    expect(settings.provider).toEqual({ value: 'animatic', source: config })
    expect(settings.outDir).toEqual({ value: join(root, 'project', 'out'), source: config })
    expect(settings.cacheDir).toEqual({ value: join(root, 'project', '.cache'), source: config })
    expect(settings.poll).toEqual({ value: 'bounded', source: config })
  })

  test('a .json config works too; without any, the defaults, with the cache under XDG_CACHE_HOME or ~/.cache', async () => {
    const root = await tempDir('storyreel-settings-')
    await writeFile(join(root, 'storyreel.config.json'), '{ "concurrency": 6 }')
    expect(
      (await resolveSettings({ env: { HOME: root }, cwd: root, startDir: root })).concurrency.value,
    ).toBe(6)

    const bare = await tempDir('storyreel-settings-')
    const defaults = await resolveSettings({ env: { HOME: bare }, cwd: bare, startDir: bare })
    expect(defaults.outDir).toEqual({ value: join(bare, 'renders'), source: 'default' })
    expect(defaults.cacheDir).toEqual({
      value: join(bare, '.cache', 'storyreel'),
      source: 'default (~/.cache/storyreel)',
    })
    expect(
      (
        await resolveSettings({
          env: { HOME: bare, XDG_CACHE_HOME: '/var/cache/me' },
          cwd: bare,
          startDir: bare,
        })
      ).cacheDir.value,
    ).toBe('/var/cache/me/storyreel')
    // The XDG spec: a relative XDG_CACHE_HOME is ignored.
    expect(cacheDirOf({ HOME: bare, XDG_CACHE_HOME: 'rel' }, bare)).toBe(join(bare, '.cache', 'storyreel'))
    expect(cacheDirOf({ HOME: bare, STORYREEL_CACHE_DIR: 'mine' }, bare)).toBe(join(bare, 'mine'))
  })

  test('a mistake in the config file or a variable is one message naming the file or the variable', async () => {
    const root = await tempDir('storyreel-settings-')
    await writeFile(join(root, 'storyreel.config.yaml'), 'concurency: 3\nmaxCost: -1\n')
    await expect(resolveSettings({ env: {}, cwd: root, startDir: root })).rejects.toThrow(
      `${join(root, 'storyreel.config.yaml')}: unknown key "concurency" (did you mean concurrency? known: concurrency, maxCost, provider, outDir, cacheDir, poll); maxCost must be an amount in USD such as 10 or 2.5, not -1.`,
    )
    const clean = await tempDir('storyreel-settings-')
    await expect(
      resolveSettings({ env: { STORYREEL_CONCURRENCY: 'many' }, cwd: clean, startDir: clean }),
    ).rejects.toThrow('STORYREEL_CONCURRENCY must be a whole number of at least 1, not "many".')
    await expect(
      resolveSettings({ env: { STORYREEL_POLL: 'often' }, cwd: clean, startDir: clean }),
    ).rejects.toThrow('STORYREEL_POLL must be economical or bounded, not "often".')
  })
})

describe('the old ./.storyreel-cache/', () => {
  test('moves into the new cache once, keeping entries the new cache already has', async () => {
    const cwd = await tempDir('storyreel-migrate-')
    const cache = join(cwd, 'xdg', 'storyreel')
    await mkdir(join(cwd, '.storyreel-cache', 'clips'), { recursive: true })
    await mkdir(join(cache, 'clips'), { recursive: true })
    await writeFile(join(cwd, '.storyreel-cache', 'clips', 'k1.mp4'), 'old clip')
    await writeFile(join(cwd, '.storyreel-cache', 'clips', 'k1.json'), '{}')
    await writeFile(join(cwd, '.storyreel-cache', 'clips', 'k2.mp4'), 'old copy')
    await writeFile(join(cache, 'clips', 'k2.mp4'), 'kept')

    expect(await migrateOldCache(cwd, cache)).toBe(join(cwd, '.storyreel-cache'))
    expect((await readdir(join(cache, 'clips'))).sort()).toEqual(['k1.json', 'k1.mp4', 'k2.mp4'])
    expect(await readFile(join(cache, 'clips', 'k2.mp4'), 'utf8')).toBe('kept')
    expect(await readdir(cwd)).not.toContain('.storyreel-cache')
    // Once: nothing left to move.
    expect(await migrateOldCache(cwd, cache)).toBeUndefined()
    // Pointing the cache at the old folder itself moves nothing.
    await mkdir(join(cwd, '.storyreel-cache'))
    expect(await migrateOldCache(cwd, join(cwd, '.storyreel-cache'))).toBeUndefined()
  })
})

test('doctor names what a found ffmpeg lacks and what storyreel does instead', () => {
  const gaps = describeGaps({
    reel: [],
    crossfade: [],
    'fade-black': [],
    soundtrack: ['loudnorm'],
    animatic: [],
    'contact-sheet': ['tile'],
  })
  expect(gaps).toEqual([
    'soundtrack needs loudnorm: a storyboard with output.audio stops before the reel, its clips kept; leave audio out for a silent reel',
    'contact-sheet needs tile: the reel is written, then the run stops at the contact sheet and writes no report',
  ])
})
