import { chmod, cp, lstat, mkdtemp, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { CoreError, loadStoryboard, pickInFile, planStoryboard, setPick } from '../src/index.ts'

const storyboards = join(import.meta.dirname, '../../../storyboards')
const takesFixture = join(import.meta.dirname, 'fixtures', 'valid', 'takes.yaml')

/** The lines that differ between two texts: what `git diff` would show. */
function diffLines(before: string, after: string): { line: number; removed: string[]; added: string[] } {
  const a = before.split('\n')
  const b = after.split('\n')
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }
  return { line: start + 1, removed: a.slice(start, endA), added: b.slice(start, endB) }
}

function caught(run: () => unknown): CoreError {
  try {
    run()
  } catch (error) {
    if (error instanceof CoreError) return error
    throw error
  }
  throw new Error('expected a CoreError')
}

describe('setPick changes exactly one line', () => {
  test.each(['storm-at-sea.yaml', 'product-reel.yaml', 'social-short.yaml'])(
    "storyboards/%s: every shot gets one added line at its keys' indentation, and still validates",
    async (name) => {
      const dir = await mkdtemp(join(tmpdir(), 'storyreel-pick-'))
      await cp(storyboards, dir, { recursive: true })
      const text = await readFile(join(storyboards, name), 'utf8')
      const plan = await planStoryboard(join(storyboards, name))
      for (const shot of plan.shots) {
        const edit = setPick(text, shot.id, 1)
        const diff = diffLines(text, edit.text)
        expect(diff, shot.id).toEqual({ line: edit.line, removed: [], added: ['    pick: 1'] })
        expect(edit).toMatchObject({ previous: 1, changed: true })
        // The line goes inside the shot: after its id, before the next shot.
        expect(edit.line, shot.id).toBeGreaterThan(shot.line)
        const next = plan.shots[shot.index + 1]
        if (next) expect(edit.line, shot.id).toBeLessThanOrEqual(next.line)
        await writeFile(join(dir, name), edit.text)
        const result = await loadStoryboard(join(dir, name))
        expect(result.issues, shot.id).toEqual([])
      }
    },
  )

  test('an existing pick is changed in place, its comment kept', async () => {
    const text = await readFile(takesFixture, 'utf8')
    const withComment = text.replace('    pick: 2\n', '    pick: 2          # the wave\n')
    const edit = setPick(withComment, 'storm', 3)
    expect(diffLines(withComment, edit.text)).toEqual({
      line: 11,
      removed: ['    pick: 2          # the wave'],
      added: ['    pick: 3          # the wave'],
    })
    expect(edit).toEqual({ text: expect.any(String), line: 11, previous: 2, changed: true })
  })

  test('a shot with takes but no pick: the line goes right under takes (here inherited takes: after the last key)', async () => {
    const text = await readFile(takesFixture, 'utf8')
    const underTakes =
      'version: 1\nshots:\n  - id: a   # first\n    takes: 3   # three tries\n    model: kling-v2.1-t2v-master\n    prompt: x\n'
    expect(diffLines(underTakes, setPick(underTakes, 'a', 2).text)).toEqual({
      line: 5,
      removed: [],
      added: ['    pick: 2'],
    })
    // deck inherits takes: 2 and ends with comment lines: the pick goes under its prompt, above the comments.
    const deck = setPick(text, 'deck', 2)
    expect(diffLines(text, deck.text)).toEqual({ line: 16, removed: [], added: ['    pick: 2'] })
    expect(deck.text.split('\n').slice(14, 18)).toEqual([
      '    prompt: The crew at the wheel.',
      '    pick: 2',
      "    # starts from the last frame of storm's take 2",
      '',
    ])
  })

  test('a shot ending in a folded block scalar, and a one-line flow mapping', async () => {
    // Without its own takes, calm inherits two and ends in its folded prompt.
    const text = (await readFile(takesFixture, 'utf8')).replace('    takes: 1\n', '')
    const calm = setPick(text, 'calm', 2)
    expect(diffLines(text, calm.text)).toEqual({ line: 23, removed: [], added: ['    pick: 2'] })
    expect(calm.text.split('\n').slice(19, 24)).toEqual([
      '    prompt: >',
      '      The sea calms',
      '      at dawn.',
      '    pick: 2',
      expect.stringMatching(/^ {2}- \{ id: gulls/),
    ])
    const gulls = setPick(text, 'gulls', 2)
    expect(diffLines(text, gulls.text)).toEqual({
      line: 23,
      removed: ['  - { id: gulls, model: kling-v2.1-t2v-master, prompt: Gulls overhead. }   # one line'],
      added: [
        '  - { id: gulls, model: kling-v2.1-t2v-master, prompt: Gulls overhead., pick: 2 }   # one line',
      ],
    })
    const dir = await mkdtemp(join(tmpdir(), 'storyreel-pick-'))
    for (const edit of [calm, gulls]) {
      await writeFile(
        join(dir, 's.yaml'),
        edit.text.replaceAll('../images/', `${join(import.meta.dirname, 'fixtures', 'images')}/`),
      )
      const plan = await planStoryboard(join(dir, 's.yaml'))
      expect(plan.shots.filter((shot) => shot.pick === 2).map((shot) => shot.id)).toContain(
        edit === calm ? 'calm' : 'gulls',
      )
    }
  })

  test('CRLF line ends and a missing final line break are kept', () => {
    const crlf =
      'version: 1\r\nshots:\r\n  - id: a\r\n    model: kling-v2.1-t2v-master\r\n    takes: 2\r\n    prompt: x\r\n'
    expect(setPick(crlf, 'a', 2).text).toBe(
      'version: 1\r\nshots:\r\n  - id: a\r\n    model: kling-v2.1-t2v-master\r\n    takes: 2\r\n    pick: 2\r\n    prompt: x\r\n',
    )
    const noFinalBreak = 'version: 1\nshots:\n  - id: a\n    model: kling-v2.1-t2v-master\n    prompt: x'
    const edit = setPick(noFinalBreak, 'a', 1)
    expect(edit.text).toBe(`${noFinalBreak}\n    pick: 1`)
    expect(edit.line).toBe(6)
  })

  test('picking take 1 writes pick: 1, so the file says what was picked; picking the same take again changes nothing', async () => {
    const text = await readFile(takesFixture, 'utf8')
    expect(diffLines(text, setPick(text, 'storm', 1).text)).toMatchObject({
      removed: ['    pick: 2'],
      added: ['    pick: 1'],
    })
    expect(setPick(text, 'storm', 2)).toEqual({ text, line: 11, previous: 2, changed: false })
  })
})

describe('setPick refuses with a typed error', () => {
  const text =
    'version: 1\nshots:\n  - { id: deck, model: kling-v2.1-t2v-master, prompt: x, takes: 3 }\n  - { id: rope, model: kling-v2.1-t2v-master, prompt: x }\n'

  test('an unknown shot, with a suggestion or the list of shots', () => {
    expect(caught(() => setPick(text, 'dek', 2))).toMatchObject({
      code: 'CORE_UNKNOWN_SHOT',
      message: 'no shot has the id "dek"; did you mean "deck"?',
    })
    expect(caught(() => setPick(text, 'lighthouse', 2))).toMatchObject({
      code: 'CORE_UNKNOWN_SHOT',
      message: 'no shot has the id "lighthouse"; the shots are deck, rope',
    })
  })

  test('a take the shot does not have, saying which it has', () => {
    expect(caught(() => setPick(text, 'deck', 4))).toMatchObject({
      code: 'CORE_PICK_OUT_OF_RANGE',
      message: 'shot "deck" has takes 1 to 3, so take 4 cannot be picked',
    })
    expect(caught(() => setPick(text, 'rope', 2)).message).toBe(
      'shot "rope" has take 1 only, so take 2 cannot be picked; set takes on the shot to render more than one',
    )
    expect(caught(() => setPick(text, 'deck', 0)).code).toBe('CORE_PICK_OUT_OF_RANGE')
  })

  test('text that is not YAML', () => {
    const error = caught(() => setPick('version: 1\nshots: [\n', 'deck', 1, { file: 'my.yaml' }))
    expect(error.code).toBe('CORE_INVALID_STORYBOARD')
    expect(error.message).toMatch(/^my\.yaml has \d+ errors?; fix them and run again:\nmy\.yaml:\d+:\d+: /)
  })
})

describe('pickInFile', () => {
  test('writes atomically through a symlink, keeping the link, the mode and nothing else behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'storyreel-pick-'))
    const text = await readFile(takesFixture, 'utf8')
    await writeFile(join(dir, 'real.yaml'), text)
    await chmod(join(dir, 'real.yaml'), 0o640)
    await symlink(join(dir, 'real.yaml'), join(dir, 'link.yaml'))
    const edit = await pickInFile('link.yaml', 'deck', 2, { cwd: dir })
    expect(edit).toMatchObject({ line: 16, previous: 1, changed: true })
    expect(await readFile(join(dir, 'real.yaml'), 'utf8')).toBe(edit.text)
    expect((await lstat(join(dir, 'link.yaml'))).isSymbolicLink()).toBe(true)
    expect((await stat(join(dir, 'real.yaml'))).mode & 0o777).toBe(0o640)
    expect((await readdir(dir)).sort()).toEqual(['link.yaml', 'real.yaml'])
  })

  test('a missing file is a CoreError carrying the finding', async () => {
    const error = await pickInFile('nope.yaml', 'deck', 2, { cwd: tmpdir() }).catch(
      (caughtError: unknown) => caughtError,
    )
    expect(error).toBeInstanceOf(CoreError)
    expect(error).toMatchObject({
      code: 'CORE_INVALID_STORYBOARD',
      issues: [{ code: 'CORE_FILE_NOT_FOUND' }],
    })
  })
})
