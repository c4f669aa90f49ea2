import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { tempDir } from '@storyreel/test-utils'
import { describe, expect, test } from 'vitest'
import { runMain } from './helpers/run-main.ts'

const root = join(import.meta.dirname, '../../..')
const fixtures = join(root, 'packages/core/test/fixtures')

const run = (argv: string[], options: { env?: Record<string, string>; isTTY?: boolean } = {}) =>
  runMain(argv, root, options)

describe('validate', () => {
  test('valid storyboards: exit 0, a line each on stdout, nothing on stderr', async () => {
    const result = await run(['validate', 'storyboards/storm-at-sea.yaml', 'storyboards/social-short.yaml'])
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toBe(
      'valid storyboards/storm-at-sea.yaml: 6 shots, 35 s of video, $8.15\nvalid storyboards/social-short.yaml: 5 shots, 25 s of video, $1.68\n',
    )
  })

  test('invalid: exit 1, file:line:col: message on stderr for every error, then a summary', async () => {
    const file = 'packages/core/test/fixtures/invalid/image-format.yaml'
    const result = await run(['validate', file, 'storyboards/product-reel.yaml'])
    expect(result.code).toBe(1)
    expect(result.stderr.split('\n')).toEqual([
      `${file}:5:12: image "../images/still.gif" is a GIF image; Kling takes JPEG or PNG only (convert it, e.g. ffmpeg -i in out.png) [CORE_IMAGE_FORMAT]`,
      `${file}:9:12: image "../images/text.jpg" is not an image this tool recognises; Kling takes JPEG or PNG only (convert it, e.g. ffmpeg -i in out.png) [CORE_IMAGE_FORMAT]`,
      '2 errors in 1 of 2 files',
      '',
    ])
    expect(result.stdout).toContain('valid storyboards/product-reel.yaml')
  })

  test('--json gives the same findings as data', async () => {
    const result = await run(['validate', '--json', join(fixtures, 'invalid/unknown-key.yaml')])
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toEqual({
      version: 1,
      valid: false,
      files: [
        {
          file: join(fixtures, 'invalid/unknown-key.yaml'),
          valid: false,
          issues: [
            {
              code: 'CORE_UNKNOWN_KEY',
              severity: 'error',
              file: join(fixtures, 'invalid/unknown-key.yaml'),
              line: 5,
              col: 5,
              message: 'unknown key "promt" in shot "a"; did you mean "prompt"?',
            },
          ],
        },
      ],
    })
  })

  test('a missing file or a folder: one clear line, exit 1, no stack trace', async () => {
    const missing = await run(['validate', 'nope.yaml'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe('nope.yaml: no such file [CORE_FILE_NOT_FOUND]\n1 error\n')
    const folder = await run(['validate', 'storyboards'])
    expect(folder.code).toBe(1)
    expect(folder.stderr).toContain('storyboards: is a folder')
    expect(folder.stderr).not.toMatch(/\n\s+at /)
  })

  test(
    'a device or a FIFO is refused at once with its own code, not read forever',
    { timeout: 10_000 },
    async () => {
      const result = await run(['validate', '/dev/zero'])
      expect(result).toMatchObject({
        code: 1,
        stderr:
          '/dev/zero: is a device file, not a regular file; give the path of a storyboard .yaml file [CORE_FILE_NOT_REGULAR]\n1 error\n',
      })
    },
  )

  test('takes count in the summary line: shots (takes), seconds, the price of every take', async () => {
    const result = await run(['validate', join(fixtures, 'valid/takes.yaml')])
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toBe(
      `valid ${join(fixtures, 'valid/takes.yaml')}: 4 shots (8 takes), 20 s of video, $7.85\n`,
    )
  })

  test('no file: usage error, exit 2', async () => {
    const result = await run(['validate'])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      'storyreel: validate needs at least one storyboard file\nRun `storyreel validate --help` for usage.\n',
    )
  })
})

describe('plan', () => {
  test('the human view: shots with their start in words, totals, chains, critical path, wall-clock', async () => {
    const { code, stdout, stderr } = await run([
      'plan',
      'storyboards/storm-at-sea.yaml',
      '--concurrency',
      '2',
    ])
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    const lines = stdout.split('\n')
    const row = (id: string) => lines.find((line) => new RegExp(`^\\s*\\d+\\s+${id}\\s`).test(line)) ?? ''
    expect(row('open')).toMatch(/kling-v2\.1-t2v-master\s+5 s\s+none \(text-to-video\)\s+-\s+-\s+\$1\.30\*/)
    expect(row('deck')).toMatch(/last frame of open\s+-\s+open\s+\$1\.30/)
    expect(row('lighthouse')).toMatch(
      /file images\/lighthouse\.jpg\s+images\/lighthouse-dark\.jpg\s+-\s+\$1\.30/,
    )
    expect(row('keeper')).toMatch(/end image of lighthouse\s+-\s+-\s+\$1\.30/)
    expect(row('rescue')).toMatch(/10 s\s+last frame of deck\s+-\s+deck\s+\$2\.60/)
    expect(stdout).toContain(
      '6 shots · 35 s of video · $8.15 estimated (* price inferred, not published: kling-v2.1-t2v-master)',
    )
    expect(stdout).toContain(
      '\n  open → deck → rescue\n  lighthouse\n  keeper   (starts from the end image of lighthouse: no waiting)\n  dawn\n',
    )
    expect(stdout).toContain('Critical path: open → deck → rescue, about 13 min')
    expect(stdout).toMatch(/Estimated wall-clock at concurrency 2: about \d+ min/)
  })

  test('a shot several others wait for branches onto its own line, under it', async () => {
    const dir = await tempDir('storyreel-cli-')
    const shot = (id: string, image: string) =>
      `  - id: ${id}\n    model: kling-v2.1-i2v-pro\n    prompt: ${id}\n${image ? `    image: ${image}\n` : ''}`
    const start = join(fixtures, 'images/start.png')
    await writeFile(
      join(dir, 'tree.yaml'),
      'version: 1\nshots:\n' +
        shot('storm', start) +
        shot('deck', '') +
        shot('mast', '') +
        shot('sail', '{ after: deck }') +
        shot('hull', '{ after: storm }'),
    )
    const { stdout } = await run(['plan', join(dir, 'tree.yaml')])
    expect(stdout).toContain('\n  storm → deck → mast\n          └→ sail\n  └→ hull\n')
  })

  test('--json: the documented stable shape', async () => {
    const { code, stdout } = await run(['plan', 'storyboards/storm-at-sea.yaml', '--json'])
    expect(code).toBe(0)
    const plan = JSON.parse(stdout)
    expect(plan).toMatchObject({
      version: 1,
      title: 'Storm at Sea',
      chains: [['open', 'deck', 'rescue'], ['lighthouse'], ['keeper'], ['dawn']],
    })
    expect(plan.criticalPath.shots).toEqual(['open', 'deck', 'rescue'])
    expect(plan.totals).toMatchObject({
      shots: 6,
      seconds: 35,
      cost: 8.15,
      costEstimated: true,
      concurrency: 4,
    })
    expect(plan.totals.estimatedWallClockSeconds).toBe(plan.criticalPath.seconds)
    const byId = Object.fromEntries(plan.shots.map((shot: { id: string }) => [shot.id, shot]))
    expect(byId.open).toMatchObject({
      model: 'kwaivgi/kling-v2.1-t2v-master',
      duration: 5,
      start: { kind: 'none' },
      dependsOn: [],
      cost: 1.3,
      seam: false,
    })
    expect(byId.deck).toMatchObject({
      start: { kind: 'last-frame', shot: 'open' },
      dependsOn: ['open'],
      seam: true,
    })
    expect(byId.keeper).toMatchObject({
      start: {
        kind: 'end-image',
        shot: 'lighthouse',
        image: { kind: 'file', path: join(root, 'storyboards/images/lighthouse-dark.jpg') },
      },
      dependsOn: [],
    })
    expect(byId.lighthouse.end).toEqual({
      kind: 'file',
      path: join(root, 'storyboards/images/lighthouse-dark.jpg'),
    })
    expect(byId.rescue).toMatchObject({
      start: { kind: 'last-frame', shot: 'deck' },
      dependsOn: ['deck'],
      seam: false,
      trim: { start: 0.5, end: 9 },
    })
  })

  test('takes: a column per shot (with the pick), prices and totals counting every take, times too', async () => {
    const { code, stdout } = await run(['plan', join(fixtures, 'valid/takes.yaml')])
    expect(code).toBe(0)
    const lines = stdout.split('\n')
    expect(lines[2]).toMatch(
      /^#\s+shot\s+model\s+length\s+takes\s+starts from\s+end image\s+waits for\s+price$/,
    )
    const row = (id: string) => lines.find((line) => new RegExp(`^\\s*\\d+\\s+${id}\\s`).test(line)) ?? ''
    expect(row('storm')).toMatch(/5 s\s+3, pick 2\s+none \(text-to-video\)\s+-\s+-\s+\$3\.90\*$/)
    expect(row('deck')).toMatch(/5 s\s+2, pick 1\s+last frame of storm\s+-\s+storm\s+\$0\.90$/)
    expect(row('calm')).toMatch(/5 s\s+1\s+file /)
    expect(stdout).toContain('4 shots · 8 takes · 20 s of video · $7.85 estimated')
    // storm's three takes and gulls' first take fill the four slots; deck's two takes then wait for storm's take 2 only.
    expect(stdout).toContain('Critical path: storm → deck, about 6 min')
    expect(stdout).toContain('Estimated wall-clock at concurrency 4: about 7 min (one at a time: 25 min)')
  })

  test('takes in --json: takes, pick, cost of one take and of all, totals with takes', async () => {
    const plan = JSON.parse((await run(['plan', join(fixtures, 'valid/takes.yaml'), '--json'])).stdout)
    expect(
      plan.shots.map(({ id, takes, pick, cost, totalCost }: Record<string, unknown>) => ({
        id,
        takes,
        pick,
        cost,
        totalCost,
      })),
    ).toEqual([
      { id: 'storm', takes: 3, pick: 2, cost: 1.3, totalCost: 3.9 },
      { id: 'deck', takes: 2, pick: 1, cost: 0.45, totalCost: 0.9 },
      { id: 'calm', takes: 1, pick: 1, cost: 0.45, totalCost: 0.45 },
      { id: 'gulls', takes: 2, pick: 1, cost: 1.3, totalCost: 2.6 },
    ])
    expect(plan.totals).toEqual({
      shots: 4,
      takes: 8,
      seconds: 20,
      cost: 7.85,
      costEstimated: true,
      estimatedWallClockSeconds: 420,
      concurrency: 4,
    })
  })

  test('an invalid storyboard: the findings and exit 1', async () => {
    const result = await run(['plan', join(fixtures, 'invalid/after-later.yaml')])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('after-later.yaml:6:21: shot "rescue" comes later')
  })

  test('usage errors: exit 2 with a hint', async () => {
    expect((await run(['plan'])).code).toBe(2)
    const bad = await run(['plan', 'storyboards/storm-at-sea.yaml', '--concurrency', 'lots'])
    expect(bad).toMatchObject({
      code: 2,
      stderr:
        'storyreel: --concurrency must be a whole number of at least 1, not "lots"\nRun `storyreel plan --help` for usage.\n',
    })
    const flag = await run(['plan', 'storyboards/storm-at-sea.yaml', '--jsno'])
    expect(flag).toMatchObject({
      code: 2,
      stderr:
        'storyreel: unknown option --jsno for plan; did you mean --json?\nRun `storyreel plan --help` for usage.\n',
    })
  })
})

describe('the command line itself', () => {
  test('unknown command: exit 2 with a suggestion', async () => {
    expect(await run(['valdate', 'x.yaml'])).toMatchObject({
      code: 2,
      stderr:
        'storyreel: unknown command "valdate"; did you mean "validate"?\nRun `storyreel --help` for usage.\n',
    })
  })

  test('--help on every command, with examples', async () => {
    const top = await run(['--help'])
    expect(top.code).toBe(0)
    for (const name of ['validate', 'plan', 'schema', 'models']) {
      expect(top.stdout).toContain(`  ${name} `)
      const help = await run([name, '--help'])
      expect(help.code, name).toBe(0)
      expect(help.stdout, name).toMatch(
        new RegExp(`^Usage: storyreel ${name}[\\s\\S]*Examples:\\n  storyreel ${name}`),
      )
    }
  })

  test('no arguments: the help on stdout, exit 0', async () => {
    const result = await run([])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Usage: storyreel <command>')
  })

  test('schema prints the JSON Schema; models lists the catalog', async () => {
    const schema = JSON.parse((await run(['schema'])).stdout)
    expect(schema.properties.shots.type).toBe('array')
    const models = await run(['models'])
    expect(models.stdout).toMatch(
      /kling-v2\.0-i2v-master\s+image → video\s+5 s, 10 s\s+yes\s+\$1\.30\s+\$2\.60/,
    )
    expect(models.stdout).toMatch(
      /kling-v2\.1-i2v-pro\/start-end-frame\s+image → video\s+5 s, 10 s\s+required/,
    )
    const json = JSON.parse((await run(['models', '--json'])).stdout)
    expect(json.version).toBe(1)
    expect(
      json.models.find((model: { alias: string }) => model.alias === 'kling-v2.5-turbo-pro/image-to-video'),
    ).toMatchObject({ endFrameField: 'last_image', price5s: 0.35, price10s: 0.7 })
  })

  test('colour only on a terminal, and never with NO_COLOR', async () => {
    const file = join(fixtures, 'invalid/unknown-key.yaml')
    expect((await run(['validate', file], { isTTY: true })).stderr).toContain('\x1b[31m')
    expect((await run(['validate', file], { isTTY: true, env: { NO_COLOR: '1' } })).stderr).not.toContain(
      '\x1b[',
    )
    expect((await run(['validate', file])).stderr).not.toContain('\x1b[')
  })
})

test('`pnpm storyreel` runs the CLI from the repository root', async () => {
  // The pnpm running these tests, also when it is not on PATH (`npx pnpm@10 test` on a machine with only npm).
  const pnpm = process.env.npm_execpath?.includes('pnpm')
    ? [process.execPath, process.env.npm_execpath]
    : ['pnpm']
  const exec = (args: string[], options: { cwd: string }) =>
    promisify(execFile)(pnpm[0]!, [...pnpm.slice(1), ...args], options)
  const valid = await exec(['storyreel', 'validate', 'storyboards/storm-at-sea.yaml'], { cwd: root })
  expect(valid.stdout).toBe('valid storyboards/storm-at-sea.yaml: 6 shots, 35 s of video, $8.15\n')
  const invalid = await exec(['storyreel', 'validate', 'packages/core/test/fixtures/invalid/tab.yaml'], {
    cwd: root,
  }).catch((error: unknown) => error)
  expect(invalid).toMatchObject({
    code: 1,
    stdout: '',
    stderr:
      'packages/core/test/fixtures/invalid/tab.yaml:4:1: tab used for indentation; YAML indents with spaces only [CORE_YAML_TAB]\n1 error\n',
  })
})
