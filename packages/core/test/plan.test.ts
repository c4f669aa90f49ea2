import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { CoreError, findModel, type Plan, type PlannedShot, planStoryboard } from '../src/index.ts'

const fixtures = join(import.meta.dirname, 'fixtures')
const chainsFile = join(fixtures, 'valid', 'chains.yaml')
let plan: Plan
const shot = (id: string): PlannedShot => plan.shots.find((candidate) => candidate.id === id)!

beforeAll(async () => {
  plan = await planStoryboard(chainsFile)
})

describe('chaining rules', () => {
  test('a text-to-video shot starts from nothing and waits for nothing', () => {
    expect(shot('open')).toMatchObject({ start: { kind: 'none' }, dependsOn: [], seam: false })
  })

  test("no image, previous shot without end_image: the previous clip's last frame, after it renders", () => {
    expect(shot('follow')).toMatchObject({
      start: { kind: 'last-frame', shot: 'open' },
      dependsOn: ['open'],
      seam: true,
    })
  })

  test('an image file starts a new chain; relative paths resolve against the storyboard folder', () => {
    const door = shot('door')
    expect(door.start).toEqual({ kind: 'file', path: join(fixtures, 'images', 'start.png') })
    expect(door.end).toEqual({ kind: 'file', path: join(fixtures, 'images', 'end.png') })
    expect(door).toMatchObject({ dependsOn: [], seam: false })
  })

  test('no image, previous shot with end_image: that image, with no wait, so both render at once', () => {
    expect(shot('inside')).toMatchObject({
      start: {
        kind: 'end-image',
        shot: 'door',
        image: { kind: 'file', path: join(fixtures, 'images', 'end.png') },
      },
      dependsOn: [],
      seam: true,
    })
  })

  test('image: { after: X } starts from the last frame of X; not a seam when X is not the shot before', () => {
    expect(shot('back')).toMatchObject({
      start: { kind: 'last-frame', shot: 'follow' },
      dependsOn: ['follow'],
      seam: false,
    })
  })

  test('image: { after: X } with X the shot just before is a seam', () => {
    expect(shot('again')).toMatchObject({
      start: { kind: 'last-frame', shot: 'back' },
      dependsOn: ['back'],
      seam: true,
    })
  })

  test('an https URL is kept as is', () => {
    expect(shot('web')).toMatchObject({
      start: { kind: 'url', url: 'https://example.com/still.jpg' },
      dependsOn: [],
      seam: false,
    })
  })
})

describe('resolved settings', () => {
  test('models resolve from alias or full id to the catalog entry', () => {
    expect(shot('follow').model).toBe(findModel('kling-v2.1-i2v-pro'))
    expect(shot('web').model).toBe(findModel('kwaivgi/kling-v2.1-i2v-standard'))
  })

  test('defaults are inherited, restricted to what each model takes, and the style is appended', () => {
    expect(shot('open').params).toEqual({
      prompt: 'Rain on a neon street. noir',
      negative_prompt: 'blur',
      guidance_scale: 0.7,
      duration: 5,
      aspect_ratio: '9:16',
    })
    // image-to-video: no aspect_ratio
    expect(shot('follow').params).toEqual({
      prompt: 'The detective walks. noir',
      negative_prompt: 'blur',
      guidance_scale: 0.7,
      duration: 5,
    })
    // kling-v2.0-t2v-master takes no guidance_scale
    expect(shot('talk').params).toEqual({
      prompt: 'Talk. noir',
      negative_prompt: 'blur',
      duration: 5,
      aspect_ratio: '9:16',
    })
  })

  test('cost is the catalog price for the duration', () => {
    expect(shot('back')).toMatchObject({ cost: 0.9, params: { duration: 10 } })
    expect(shot('web').cost).toBe(0.28)
  })

  test('transition: the shot override, else the output default (with its default length)', () => {
    expect(shot('follow').transition).toEqual({ type: 'crossfade', duration: 0.5 })
    expect(shot('inside').transition).toEqual({ type: 'cut', duration: 0 })
    expect(shot('again').transition).toEqual({ type: 'fade-black', duration: 1.5 })
  })

  test('trim, index and line are carried over', () => {
    expect(shot('back')).toMatchObject({ trim: { start: 1, end: 9 }, index: 4, line: 27 })
    expect(shot('open')).toMatchObject({ index: 0, line: 14 })
  })

  test('title, file, hash and output defaults', async () => {
    const bytes = await readFile(chainsFile)
    expect(plan).toMatchObject({
      title: 'Chains',
      file: chainsFile,
      hash: createHash('sha256').update(bytes).digest('hex'),
    })
    expect(plan.output).toEqual({
      file: 'chains.mp4',
      fit: 'contain',
      transition: { type: 'crossfade', duration: 0.5 },
    })
  })

  test('with no title the file name titles the reel; no output means cuts', async () => {
    const minimal = await planStoryboard(join(fixtures, 'valid', 'minimal.yaml'))
    expect(minimal.title).toBe('minimal')
    expect(minimal.output).toEqual({
      file: 'minimal.mp4',
      fit: 'contain',
      transition: { type: 'cut', duration: 0 },
    })
    expect(minimal.shots[0]!.transition).toEqual({ type: 'cut', duration: 0 })
  })

  test('the soundtrack resolves against the storyboard folder, with defaults', async () => {
    const storm = await planStoryboard(join(import.meta.dirname, '../../../storyboards/storm-at-sea.yaml'))
    expect(storm.output.audio).toEqual({
      file: join(import.meta.dirname, '../../../storyboards/music/storm.m4a'),
      fadeOut: 2,
      loudness: -14,
    })
    expect(storm.output).toMatchObject({ file: 'storm-at-sea.mp4', width: 1280, height: 720, fps: 24 })
  })
})

test('planStoryboard throws a CoreError carrying every issue', async () => {
  const error = await planStoryboard(join(fixtures, 'invalid', 'duplicate-id.yaml')).catch(
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(CoreError)
  expect(error).toMatchObject({
    code: 'CORE_INVALID_STORYBOARD',
    issues: [{ code: 'CORE_DUPLICATE_ID', line: 7, col: 9 }],
  })
  expect((error as Error).message).toContain('duplicate-id.yaml:7:9: shot id "a" is already used on line 5')
})
