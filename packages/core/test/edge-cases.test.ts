import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { loadStoryboard } from '../src/index.ts'

async function findings(text: string) {
  const dir = await mkdtemp(join(tmpdir(), 'storyreel-edge-'))
  await writeFile(join(dir, 's.yaml'), text)
  return (await loadStoryboard(join(dir, 's.yaml'))).issues.map(({ code, line, col, message }) => ({
    code,
    line,
    col,
    message,
  }))
}

const t2v = (id: string, extra = '') =>
  `  - id: ${id}\n    model: kling-v2.1-t2v-master\n    prompt: x\n${extra}`

describe('numbers YAML reads as NaN or infinity', () => {
  test('.nan, .inf, -.inf and 1e400 are named as written, not "null"', async () => {
    const text = `version: 1\nshots:\n${t2v('a', '    duration: .nan\n    guidance_scale: .inf\n')}${t2v('b', '    guidance_scale: 1e400\n    notes: -.inf\n')}`
    expect(await findings(text)).toEqual([
      {
        code: 'CORE_TYPE',
        line: 6,
        col: 15,
        message: 'duration in shot "a" must be a whole number, not .nan (not a number)',
      },
      {
        code: 'CORE_TYPE',
        line: 7,
        col: 21,
        message: 'guidance_scale in shot "a" must be a number, not .inf (infinity)',
      },
      {
        code: 'CORE_TYPE',
        line: 11,
        col: 21,
        message:
          'guidance_scale in shot "b" must be a number, not 1e400 (too large: YAML reads it as infinity)',
      },
      {
        code: 'CORE_TYPE',
        line: 12,
        col: 12,
        message: 'notes in shot "b" must be text, not -.inf (infinity)',
      },
    ])
  })
})

describe('nesting', () => {
  test('a flow list 5000 deep is refused with its position, not "Maximum call stack size exceeded"', async () => {
    const text = `version: 1\nshots:\n${t2v('a', `    notes: ${'['.repeat(5000)}${']'.repeat(5000)}\n`)}`
    // The top-level map, shots, the shot: the list at column 12 is level 4, so level 101 opens 97 brackets in.
    expect(await findings(text)).toEqual([
      {
        code: 'CORE_YAML_TOO_DEEP',
        line: 6,
        col: 12 + 97,
        message:
          'lists and mappings nest more than 100 levels deep here; a storyboard needs four at most, so this is not a storyboard',
      },
    ])
  })

  test('block lists and indented mappings are measured too', async () => {
    const dashes = `version: 1\nshots:\n  - ${'- '.repeat(50_000)}x\n`
    expect((await findings(dashes)).map(({ code, line }) => [code, line])).toEqual([
      ['CORE_YAML_TOO_DEEP', 3],
    ])
    const mappings = `version: 1\nx:\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} v\n`
    expect((await findings(mappings)).map(({ code, line }) => [code, line])).toEqual([
      ['CORE_YAML_TOO_DEEP', 102],
    ])
  })
})

test('two YAML documents in one file: storyreel says what to do, at the second one', async () => {
  const text = `version: 1\nshots:\n${t2v('a')}---\nversion: 1\nshots: []\n`
  expect(await findings(text)).toEqual([
    {
      code: 'CORE_YAML_MULTIPLE_DOCUMENTS',
      line: 6,
      col: 1,
      message:
        'a second YAML document starts here; a storyboard is one document, so remove the "---" or "..." line before it and what follows, or move that to a file of its own',
    },
  ])
})

test('a leading --- (one document) is fine', async () => {
  expect(await findings(`---\nversion: 1\nshots:\n${t2v('a')}`)).toEqual([])
})

test('merge keys are refused with a reason and what to use instead, not as an "unknown key"', async () => {
  const text = `version: 1\ndefaults: &base\n  duration: 5\nshots:\n${t2v('a', '    <<: *base\n')}`
  expect(await findings(text)).toEqual([
    {
      code: 'CORE_YAML_MERGE_KEY',
      line: 8,
      col: 5,
      message:
        'merge keys (<<) are not supported in storyboards: put settings shared by every shot in defaults, or write the keys out (an alias such as prompt: *sea can still repeat one value)',
    },
  ])
})

test('merge keys are refused under a %YAML 1.1 directive too, whose schema would apply them silently', async () => {
  const text = `%YAML 1.1\n---\nversion: 1\ndefaults: &base\n  model: kling-v2.1-t2v-master\nshots:\n  - id: a\n    <<: *base\n    prompt: x\n`
  expect((await findings(text)).map(({ code, line, col }) => [code, line, col])).toEqual([
    ['CORE_YAML_MERGE_KEY', 8, 5],
  ])
})

test('ids that differ only in case are rejected: their files would collide on macOS and Windows', async () => {
  const text = `version: 1\nshots:\n${t2v('Deck')}${t2v('deck')}  - id: rope\n    model: kling-v2.1-i2v-pro\n    image: { after: deck }\n    prompt: x\n`
  expect(await findings(text)).toEqual([
    {
      code: 'CORE_DUPLICATE_ID',
      line: 6,
      col: 9,
      message:
        'shot id "deck" differs from "Deck" (line 3) only in case; ids name the shot\'s files, which would be one file on macOS and Windows, so rename one',
    },
  ])
})

describe('output.file', () => {
  test.each([
    ['a line break', '"reel\\nx.mp4"', 'a line break (U+000A) at character 5'],
    ['an escape sequence', '"\\e]0;pwned\\areel.mp4"', 'an escape character (U+001B) at character 1'],
    ['a C1 control', '"reel\\x9bx.mp4"', 'a control character (U+009B) at character 5'],
  ])('%s is refused at its line and column, and the message does not repeat it', async (_, written, what) => {
    const [issue, ...rest] = await findings(`version: 1\noutput:\n  file: ${written}\nshots:\n${t2v('a')}`)
    expect(rest).toEqual([])
    expect(issue).toEqual({
      code: 'CORE_SCHEMA',
      line: 3,
      col: 9,
      message: `file in output contains ${what}; it may hold printable characters only`,
    })
  })

  test('printable names, accents included, are fine', async () => {
    expect(
      await findings(`version: 1\noutput:\n  file: "Tempête à l'aube.mp4"\nshots:\n${t2v('a')}`),
    ).toEqual([])
  })
})

test('an error in each of 24,000 shots is reported in full, in linear time (it took minutes)', async () => {
  const shots = ['- {id: open, model: kling-v2.1-t2v-master, prompt: x}']
  for (let i = 0; i < 8000; i++)
    shots.push(
      `- {id: k${i}, promt: x}`,
      `- {id: i${i}, prompt: x, image: 42}`,
      `- {id: a${i}, prompt: x, image: {after: z${i}}}`,
    )
  const issues = await findings(
    `version: 1\ndefaults: {model: kling-v2.1-i2v-pro}\nshots:\n${shots.join('\n')}\n`,
  )
  const count = (code: string) => issues.filter((issue) => issue.code === code).length
  expect([
    count('CORE_UNKNOWN_KEY'),
    count('CORE_MISSING_KEY'),
    count('CORE_TYPE'),
    count('CORE_AFTER_UNKNOWN'),
  ]).toEqual([8000, 0, 8000, 8000])
})
