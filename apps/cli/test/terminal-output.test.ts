import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { tempDir } from '@storyreel/test-utils'
import { describe, expect, test } from 'vitest'
import { createStyle } from '../src/output/style.ts'
import { formatTable } from '../src/output/table.ts'
import { describeFailure } from '../src/render/failure.ts'
import { printOutcome } from '../src/render/print-outcome.ts'
import { chooseView } from '../src/render/progress/choose-view.ts'
import { createLineView } from '../src/render/progress/line-view.ts'
import { frame } from '../src/render/progress/tty-view.ts'
import { runMain } from './helpers/run-main.ts'
import { record, runState } from './render-fixtures.ts'

/** Any C0 or C1 control character other than the newline ending a line, or colour codes storyreel adds. */

const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/

/** OSC 0 (set the window title) and "clear the screen", as a hostile storyboard or API would send them. */
const TITLE = '\x1b]0;pwned\x07'
const CLEAR = '\x1b[2J\x1b[H'

const run = runMain

function capture() {
  const stream = new PassThrough()
  const chunks: string[] = []
  stream.on('data', (c: Buffer) => chunks.push(c.toString()))
  return { stream, text: () => chunks.join('') }
}

const plain = createStyle({
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: '',
  env: { NO_COLOR: '1' },
  isTTY: false,
})

/** A storyboard whose title, model name, image path and `after:` target carry terminal escapes (YAML's "\e" is ESC). */
const HOSTILE = `version: 1
title: "Storm\\e]0;pwned\\a at sea\\e[2J"
shots:
  - id: a
    model: "kling\\e]0;pwned\\a"
    prompt: x
  - id: b
    model: kling-v2.1-i2v-pro
    image: "img/\\e[2Jstart.png"
    prompt: y
  - id: c
    model: kling-v2.1-i2v-pro
    image: { after: "a\\e[2J" }
    prompt: z
`

describe('strings storyreel did not write are shown with their control characters escaped', () => {
  test('validate and plan: model names, paths, after: targets from a hostile storyboard', async () => {
    const dir = await tempDir('storyreel-escape-')
    await writeFile(join(dir, 'board.yaml'), HOSTILE)
    for (const command of ['validate', 'plan', 'render']) {
      const result = await run([command, 'board.yaml'], dir)
      expect(result.code, command).toBe(1)
      expect(result.stderr, command).not.toMatch(RAW_CONTROL)
      expect(result.stderr, command).toContain('kling\\x1b]0;pwned\\x07')
      expect(result.stderr, command).toContain('\\x1b[2J')
    }
  })

  test('plan: the title and every cell of a valid storyboard', async () => {
    const dir = await tempDir('storyreel-escape-')
    await mkdir(join(dir, 'img'))
    await writeFile(
      join(dir, 'board.yaml'),
      'version: 1\ntitle: "Storm\\e]0;pwned\\a"\nshots:\n  - { id: a, model: kling-v2.5-turbo-pro/text-to-video, prompt: x }\n',
    )
    const result = await run(['plan', 'board.yaml'], dir)
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).not.toMatch(RAW_CONTROL)
    expect(result.stdout).toContain('Storm\\x1b]0;pwned\\x07')
  })

  test('the live view, plain lines and the outcome: prediction ids and API error messages', () => {
    const shot = record(`a${CLEAR}`, {
      state: 'failed',
      error: `upstream said ${TITLE}`,
      attempts: [
        { predictionId: `p${TITLE}`, cost: 0 },
        { predictionId: `q${CLEAR}`, cost: 0 },
      ],
    })
    const run = runState([shot], 0)
    const tty = frame(run, plain, 1000, 40, 200).join('\n')
    const lines = capture()
    const view = createLineView(lines.stream, { style: plain, now: () => 0 })
    view.shotChanged(run, shot)
    view.note(`Stitching into reel${CLEAR}.mp4`)
    let said = ''
    const io = {
      stdout: { write: (t: string) => (said += t) },
      stderr: { write: (t: string) => (said += t) },
      cwd: '/',
      env: {},
      isTTY: false,
    }
    printOutcome(
      {
        failures: [{ shot: shot.id, predictionId: `p${TITLE}`, message: `bad ${TITLE}` }],
        shots: [],
      } as never,
      { status: 'failed', manifest: '/m', report: `/r${CLEAR}` },
      0,
      false,
      io,
    )
    for (const text of [tty, lines.text(), said]) {
      expect(text.replace(/\n/g, '')).not.toMatch(RAW_CONTROL)
      expect(text).toContain('\\x1b')
    }
    expect(lines.text()).toContain(
      'a\\x1b[2J\\x1b[H: failed (attempt 2, q\\x1b[2J\\x1b[H, upstream said \\x1b]0;pwned\\x07)',
    )
    expect(said).toContain('(prediction p\\x1b]0;pwned\\x07): bad \\x1b]0;pwned\\x07')
  })

  test('error messages (library, system and unexpected) and usage errors', async () => {
    for (const error of [
      Object.assign(new Error(`API said ${TITLE}`), { code: 'WS_HTTP' }),
      Object.assign(new Error('x'), { code: 'EACCES', path: `/tmp/${CLEAR}` }),
      new Error(`boom ${CLEAR}`),
    ]) {
      expect(describeFailure(error).message.replace(/\n/g, '')).not.toMatch(RAW_CONTROL)
    }
    const dir = await tempDir('storyreel-escape-')
    const unknown = await run([`val${CLEAR}`], dir)
    expect(unknown.code).toBe(2)
    expect(unknown.stderr.replace(/\n/g, '')).not.toMatch(RAW_CONTROL)
    expect(unknown.stderr).toContain('val\\x1b[2J\\x1b[H')
  })

  test('status: shot ids, prediction ids and messages from the journal', async () => {
    const dir = await tempDir('storyreel-escape-')
    await mkdir(join(dir, 'run'))
    await writeFile(
      join(dir, 'run', 'journal.ndjson'),
      [
        { type: 'run', at: 1, pid: 1, plan: 'h', provider: 'wavespeed' },
        { type: 'intent', at: 2, shot: `a${CLEAR}`, attempt: 1, key: 'k', request: {} },
        {
          type: 'submitted',
          at: 3,
          shot: `a${CLEAR}`,
          attempt: 1,
          key: 'k',
          id: `p${TITLE}`,
          model: 'm',
          cost: 0.35,
        },
        {
          type: 'failed',
          at: 4,
          shot: `a${CLEAR}`,
          attempt: 1,
          id: `p${TITLE}`,
          message: `bad ${TITLE}`,
          retryable: false,
        },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
    )
    const result = await run(['status', 'run'], dir)
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout.replace(/\n/g, '')).not.toMatch(RAW_CONTROL)
    expect(result.stdout).toContain('p\\x1b]0;pwned\\x07')
  })
})

describe('terminal conventions', () => {
  test('TERM=dumb and a pipe get no colour and no cursor movement', async () => {
    const dir = await tempDir('storyreel-term-')
    await writeFile(join(dir, 'board.yaml'), 'version: 1\nshots:\n  - { id: a, model: nope, prompt: x }\n')
    expect((await run(['validate', 'board.yaml'], dir, { isTTY: true })).stderr).toContain('\x1b[31m')
    expect(
      (await run(['validate', 'board.yaml'], dir, { isTTY: true, env: { TERM: 'dumb' } })).stderr,
    ).not.toContain('\x1b')
    const out = capture()
    const view = chooseView({ stream: out.stream, isTTY: true, env: { TERM: 'dumb' }, json: false })
    const run1 = runState([record('a', { state: 'processing' })], Date.now())
    view.shotChanged(run1, run1.shots[0]!)
    view.close(run1)
    expect(out.text()).not.toContain('\x1b')
  })

  test('CJK shot names align by display width in tables and the live view', () => {
    const table = formatTable(
      ['shot', 'price'],
      [
        ['嵐の海', '$1.30'],
        ['deck', '$0.45'],
      ],
      [1],
    ).split('\n')
    expect(table[1]!.indexOf('$1.30') + 3).toBe(table[2]!.indexOf('$0.45')) // three wide characters take six columns
    const lines = frame(
      runState([record('嵐の海', { state: 'processing' }), record('deck', { state: 'processing' })], 0),
      plain,
      0,
      40,
      100,
    )
    const column = (line: string) => {
      const at = line.indexOf('processing')
      return [...line.slice(0, at)].reduce((w, c) => w + (/[\u3000-\u9fff]/.test(c) ? 2 : 1), 0)
    }
    expect(column(lines[0]!)).toBe(column(lines[1]!))
  })

  test('a bare storyreel prints the help on stdout and exits 0', async () => {
    const result = await run([], '/')
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toContain('Usage: storyreel <command>')
  })

  test("--max-cost -3 gets storyreel's own message; --only nosuch is a usage error naming --only", async () => {
    const dir = await tempDir('storyreel-term-')
    await writeFile(
      join(dir, 'board.yaml'),
      'version: 1\nshots:\n  - { id: deck, model: kling-v2.5-turbo-pro/text-to-video, prompt: x }\n',
    )
    for (const argv of [['--max-cost', '-3'], ['--max-cost=-3']]) {
      const result = await run(['render', 'board.yaml', ...argv], dir)
      expect(result.code).toBe(2)
      expect(result.stderr).toBe(
        'storyreel: --max-cost must be an amount in USD such as 10 or 2.50, not "-3"\nRun `storyreel render --help` for usage.\n',
      )
    }
    const concurrency = await run(['render', 'board.yaml', '-c', '-2'], dir)
    expect(concurrency.stderr).toContain('--concurrency must be a whole number of at least 1, not "-2"')
    const only = await run(['render', 'board.yaml', '--only', 'dek', '--out', join(dir, 'run')], dir, {
      env: { STORYREEL_CACHE_DIR: join(dir, 'cache') },
    })
    expect(only.code).toBe(2)
    expect(only.stderr).toBe(
      'storyreel: --only names shot "dek", which the storyboard does not have; did you mean "deck"?\nRun `storyreel render --help` for usage.\n',
    )
  })

  test('every --json output carries version', async () => {
    const dir = await tempDir('storyreel-term-')
    await writeFile(
      join(dir, 'board.yaml'),
      'version: 1\nshots:\n  - { id: a, model: kling-v2.5-turbo-pro/text-to-video, prompt: x }\n',
    )
    for (const argv of [
      ['models', '--json'],
      ['validate', '--json', 'board.yaml'],
      ['plan', '--json', 'board.yaml'],
      ['doctor', '--json'],
    ]) {
      const result = await run(argv, dir)
      expect(JSON.parse(result.stdout), argv.join(' ')).toMatchObject({ version: 1 })
    }
  })
})
