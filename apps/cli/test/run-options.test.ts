import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runMain } from './helpers/run-main.ts'

const run = (argv: string[]) => runMain(argv, cwd)

let cwd: string
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'storyreel-run-options-'))
})
afterAll(() => rm(cwd, { recursive: true, force: true }))

/** The help line of `--name` in `storyreel COMMAND --help`. */
async function helpLine(command: string, name: string): Promise<string> {
  const help = await run([command, '--help'])
  expect(help.code).toBe(0)
  const line = help.stdout.split('\n').find((l) => new RegExp(`^\\s+(-\\w, )?--${name} `).test(l))
  expect(line, `${command} --help has no --${name}`).toBeDefined()
  // Columns are aligned to each command's longest option: compare the words.
  return line!.trim().replace(/\s+/g, ' ')
}

describe('render and review take the render options from one owner', () => {
  test.each(['out', 'provider', 'concurrency', 'max-cost'])('--%s: the same help in both', async (name) => {
    expect(await helpLine('review', name)).toBe(await helpLine('render', name))
  })

  test.each([
    [['--provider', 'kling'], '--provider must be wavespeed or animatic, not "kling"'],
    [['--concurrency', '0'], '--concurrency must be a whole number of at least 1, not "0"'],
    [['--max-cost', '-3'], '--max-cost must be an amount in USD such as 10 or 2.50, not "-3"'],
  ])('%j: the same usage error (exit 2) from both, before anything is opened', async (flags, message) => {
    for (const command of ['render', 'review']) {
      const result = await run([command, 'missing.yaml', ...flags])
      expect([command, result.code, result.stderr]).toEqual([
        command,
        2,
        `storyreel: ${message}\nRun \`storyreel ${command} --help\` for usage.\n`,
      ])
    }
  })

  test('ports: --port (0 = any) and --webhook-port (1 and up) are checked alike', async () => {
    expect((await run(['review', 'x.yaml', '--port', '70000'])).stderr).toContain(
      '--port must be a port number from 0 to 65535, not "70000"',
    )
    expect(
      (await run(['render', 'x.yaml', '--webhook-url', 'https://a.example', '--webhook-port', '0'])).stderr,
    ).toContain('--webhook-port must be a port number from 1 to 65535, not "0"')
  })
})
