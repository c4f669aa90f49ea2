import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { formatIssue, type IssueCode, loadStoryboard } from '../src/index.ts'

const fixtures = join(import.meta.dirname, 'fixtures')

/** [fixture, code, line, col]: the one error each invalid fixture must produce, where it must point. */
const cases: [string, IssueCode, number, number][] = [
  ['unknown-key', 'CORE_UNKNOWN_KEY', 5, 5],
  ['unknown-top-key', 'CORE_UNKNOWN_KEY', 2, 1],
  ['unknown-model', 'CORE_UNKNOWN_MODEL', 4, 12],
  ['end-image-not-accepted', 'CORE_PARAM_NOT_ACCEPTED', 6, 5],
  ['aspect-on-i2v', 'CORE_PARAM_NOT_ACCEPTED', 7, 5],
  ['guidance-not-accepted', 'CORE_PARAM_NOT_ACCEPTED', 6, 5],
  ['image-on-t2v', 'CORE_PARAM_NOT_ACCEPTED', 6, 5],
  ['duration', 'CORE_DURATION', 4, 13],
  ['guidance-range', 'CORE_OUT_OF_RANGE', 6, 21],
  ['duplicate-id', 'CORE_DUPLICATE_ID', 7, 9],
  ['after-unknown', 'CORE_AFTER_UNKNOWN', 9, 21],
  ['after-later', 'CORE_AFTER_NOT_EARLIER', 6, 21],
  ['no-start-image', 'CORE_NO_START_IMAGE', 5, 9],
  ['end-image-required', 'CORE_END_IMAGE_REQUIRED', 3, 9],
  ['trim', 'CORE_TRIM', 6, 28],
  ['image-not-found', 'CORE_IMAGE_NOT_FOUND', 5, 12],
  ['image-too-small', 'CORE_IMAGE_TOO_SMALL', 5, 12],
  ['image-aspect', 'CORE_IMAGE_ASPECT', 5, 12],
  ['image-http', 'CORE_IMAGE_URL', 5, 12],
  ['duplicate-key', 'CORE_YAML_DUPLICATE_KEY', 6, 5],
  ['tab', 'CORE_YAML_TAB', 4, 1],
  ['not-a-mapping', 'CORE_NOT_A_MAPPING', 1, 1],
  ['type', 'CORE_TYPE', 6, 15],
  ['output-size', 'CORE_OUTPUT_SIZE', 3, 3],
  ['audio-not-found', 'CORE_AUDIO_NOT_FOUND', 3, 18],
  ['transition-enum', 'CORE_ENUM', 3, 23],
  ['no-model', 'CORE_NO_MODEL', 3, 9],
  ['version', 'CORE_ENUM', 1, 10],
  ['bad-id', 'CORE_SCHEMA', 3, 9],
]

describe('invalid fixtures', () => {
  test.each(cases)('%s: %s at %i:%i', async (name, code, line, col) => {
    const file = join(fixtures, 'invalid', `${name}.yaml`)
    const result = await loadStoryboard(file)
    expect(result.ok).toBe(false)
    const errors = result.issues.filter((issue) => issue.severity === 'error')
    expect(errors.map(({ code, line, col }) => ({ code, line, col }))).toEqual([{ code, line, col }])
    expect(errors[0]!.file).toBe(file)
  })

  test('YAML syntax errors are located and stop the checks', async () => {
    const result = await loadStoryboard(join(fixtures, 'invalid', 'syntax.yaml'))
    expect(result.ok).toBe(false)
    expect(result.issues.length).toBeGreaterThan(0)
    expect(result.issues.every((issue) => issue.code === 'CORE_YAML_SYNTAX' && issue.line >= 3)).toBe(true)
  })

  test('a file that is not an image, or is a GIF, is refused by its content', async () => {
    const result = await loadStoryboard(join(fixtures, 'invalid', 'image-format.yaml'))
    expect(result.issues.map(({ code, line }) => [code, line])).toEqual([
      ['CORE_IMAGE_FORMAT', 5],
      ['CORE_IMAGE_FORMAT', 9],
    ])
    expect(result.issues[0]!.message).toContain('GIF')
  })
})

describe('messages a user can act on', () => {
  const messageOf = async (name: string) =>
    (await loadStoryboard(join(fixtures, 'invalid', `${name}.yaml`))).issues[0]!.message

  test('unknown keys and models come with a suggestion', async () => {
    expect(await messageOf('unknown-key')).toBe('unknown key "promt" in shot "a"; did you mean "prompt"?')
    expect(await messageOf('unknown-top-key')).toContain('did you mean "title"?')
    expect(await messageOf('unknown-model')).toBe(
      'unknown model "kling-v2.1-t2v-mastr"; did you mean "kling-v2.1-t2v-master"?',
    )
    expect(await messageOf('after-unknown')).toContain('did you mean "deck"?')
  })

  test('image problems give the actual numbers', async () => {
    expect(await messageOf('image-too-small')).toContain('200x200')
    expect(await messageOf('image-aspect')).toContain('1000x300 (aspect 3.33:1)')
  })

  test('an ignored parameter is an error that names the model and says it would be billed', async () => {
    const message = await messageOf('end-image-not-accepted')
    expect(message).toContain('kling-v2.1-i2v-pro takes no end image')
    expect(message).toContain('still bill')
    expect(message).toContain('kling-v2.0-i2v-master')
  })

  test('the first image-to-video shot without an image says how to fix it', async () => {
    const message = await messageOf('no-start-image')
    expect(message).toContain('add image:')
    expect(message).toContain('kling-v2.1-t2v-master')
  })

  test('formatIssue gives file:line:col: message', async () => {
    const file = join(fixtures, 'invalid', 'unknown-key.yaml')
    const [issue] = (await loadStoryboard(file)).issues
    expect(formatIssue(issue!)).toBe(
      `${file}:5:5: unknown key "promt" in shot "a"; did you mean "prompt"? [CORE_UNKNOWN_KEY]`,
    )
  })
})

describe('every problem in one run', () => {
  test('schema, catalog, chaining and image errors are all reported, in file order', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'storyreel-core-'))
    const file = join(dir, 'many.yaml')
    await writeFile(
      file,
      [
        'version: 1',
        'defaults:',
        '  model: kling-v2.1-i2v-pro',
        'shots:',
        '  - id: open', // 5: i2v first shot without image
        '    prompt: Sea.',
        '    colour: blue', // 7: unknown key
        '  - id: deck',
        '    prompt: Deck.',
        '    model: kling-v2.1-t2v-mastr', // 10: unknown model
        '  - id: rope',
        '    prompt: Rope.',
        '    image: { after: nowhere }', // 13: unknown after
        '    duration: 6', // 14: duration
        '  - id: open', // 15: duplicate id
        '    prompt: Again.',
        `    image: ${join(fixtures, 'images', 'small.png')}`, // 17: too small
        '',
      ].join('\n'),
    )
    const result = await loadStoryboard(file)
    expect(result.ok).toBe(false)
    expect(result.issues.map(({ code, line }) => [code, line])).toEqual([
      ['CORE_NO_START_IMAGE', 5],
      ['CORE_UNKNOWN_KEY', 7],
      ['CORE_UNKNOWN_MODEL', 10],
      ['CORE_AFTER_UNKNOWN', 13],
      ['CORE_DURATION', 14],
      ['CORE_DUPLICATE_ID', 15],
      ['CORE_IMAGE_TOO_SMALL', 17],
    ])
  })

  test('a prompt over the limit once the style is appended gives both lengths', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'storyreel-core-'))
    const file = join(dir, 'long.yaml')
    const prompt = 'a'.repeat(2490)
    await writeFile(
      file,
      `version: 1\nstyle: cinematic, grainy\nshots:\n  - id: a\n    model: kling-v2.1-t2v-master\n    prompt: ${prompt}\n`,
    )
    const [issue] = (await loadStoryboard(file)).issues
    expect(issue).toMatchObject({ code: 'CORE_PROMPT_TOO_LONG', line: 6, col: 13 })
    expect(issue!.message).toContain('2490 characters, 2509 with the style appended')
  })
})

test("each shot's image mistake is reported on its own, whatever the other shots got wrong", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'storyreel-core-'))
  const shot = (id: string, image: string) =>
    `  - id: ${id}\r\n    model: kling-v2.1-i2v-pro\r\n    prompt: x\r\n    image: ${image}\r\n`
  // A byte-order mark and CRLF line ends, as some Windows editors save.
  await writeFile(
    join(dir, 's.yaml'),
    `\ufeffversion: 1\r\nshots:\r\n${shot('a', '""')}${shot('b', '42')}${shot('c', '{ afer: a }')}`,
  )
  const result = await loadStoryboard(join(dir, 's.yaml'))
  expect(result.issues.map(({ code, line, col, message }) => [code, line, col, message])).toEqual([
    ['CORE_SCHEMA', 6, 12, 'image in shot "a" must not be empty'],
    ['CORE_TYPE', 10, 12, 'image in shot "b" must be text or a mapping (key: value lines), not 42'],
    ['CORE_UNKNOWN_KEY', 14, 14, 'unknown key "afer" in image of shot "c"; did you mean "after"?'],
  ])
})

describe('the file itself', () => {
  test('missing, a folder, too large, binary: one whole-file finding each', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'storyreel-core-'))
    await writeFile(join(dir, 'big.yaml'), `# ${'x'.repeat(1024 * 1024)}\n`)
    await writeFile(join(dir, 'binary.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]))
    const codes = async (name: string) =>
      (await loadStoryboard(name, { cwd: dir })).issues.map(({ code, line, col }) => [code, line, col])
    expect(await codes('nope.yaml')).toEqual([['CORE_FILE_NOT_FOUND', 0, 0]])
    expect(await codes('.')).toEqual([['CORE_FILE_UNREADABLE', 0, 0]])
    expect(await codes('big.yaml')).toEqual([['CORE_FILE_TOO_LARGE', 0, 0]])
    expect(await codes('binary.yaml')).toEqual([['CORE_FILE_UNREADABLE', 0, 0]])
  })

  test('an alias bomb is refused, not expanded', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'storyreel-core-'))
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]']
    const names = 'abcdefghij'
    for (let i = 1; i < names.length; i++)
      lines.push(
        `${names[i]}: &${names[i]} [${Array(9)
          .fill(`*${names[i - 1]}`)
          .join(', ')}]`,
      )
    lines.push('version: 1', 'shots: *j')
    await writeFile(join(dir, 'bomb.yaml'), `${lines.join('\n')}\n`)
    const started = performance.now()
    const result = await loadStoryboard(join(dir, 'bomb.yaml'))
    expect(result.issues.map(({ code, line }) => [code, line])).toEqual([['CORE_YAML_ALIAS', 2]])
    expect(performance.now() - started).toBeLessThan(2000)
  })

  test('a file over 10 MB is refused as an image, with its size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'storyreel-core-'))
    const { readFile } = await import('node:fs/promises')
    const png = await readFile(join(fixtures, 'images', 'start.png'))
    await writeFile(join(dir, 'huge.png'), Buffer.concat([png, Buffer.alloc(10.5 * 1024 * 1024)]))
    await writeFile(
      join(dir, 's.yaml'),
      'version: 1\nshots:\n  - id: a\n    model: kling-v2.1-i2v-pro\n    image: huge.png\n    prompt: x\n',
    )
    const [issue] = (await loadStoryboard(join(dir, 's.yaml'))).issues
    expect(issue).toMatchObject({ code: 'CORE_IMAGE_TOO_LARGE', line: 5, col: 12 })
    expect(issue!.message).toContain('10.5 MB')
  })
})

describe('valid storyboards', () => {
  test.each(['valid/chains.yaml', 'valid/minimal.yaml'])('%s', async (name) => {
    const result = await loadStoryboard(join(fixtures, name))
    expect(result.issues).toEqual([])
    expect(result.ok).toBe(true)
  })

  test.each(['storm-at-sea.yaml', 'product-reel.yaml', 'social-short.yaml'])(
    'the example storyboards/%s',
    async (name) => {
      const result = await loadStoryboard(join(import.meta.dirname, '../../../storyboards', name))
      expect(result.issues).toEqual([])
      expect(result.ok).toBe(true)
    },
  )

  test('a PNG named .jpg is accepted: images are judged by their content', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'storyreel-core-'))
    await writeFile(
      join(dir, 's.yaml'),
      `version: 1\nshots:\n  - id: a\n    model: kling-v2.1-i2v-pro\n    image: ${join(fixtures, 'images', 'png-named.jpg')}\n    prompt: x\n`,
    )
    expect((await loadStoryboard(join(dir, 's.yaml'))).ok).toBe(true)
  })

  test('a default no shot can use is a warning, not an error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'storyreel-core-'))
    await writeFile(
      join(dir, 's.yaml'),
      `version: 1\ndefaults:\n  aspect_ratio: "9:16"\nshots:\n  - id: a\n    model: kling-v2.1-i2v-pro\n    image: ${join(fixtures, 'images', 'start.png')}\n    prompt: x\n`,
    )
    const result = await loadStoryboard(join(dir, 's.yaml'))
    expect(result.ok).toBe(true)
    expect(result.issues.map(({ code, severity, line, col }) => ({ code, severity, line, col }))).toEqual([
      { code: 'CORE_DEFAULT_UNUSED', severity: 'warning', line: 3, col: 3 },
    ])
  })
})
