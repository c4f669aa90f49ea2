/**
 * The README's free main command (`storyreel render storyboards/storm-at-sea.yaml`, no key: the
 * animatic), run as a user runs it, cold (a fresh run directory and cache folder each time), for
 * issue 11 target 3: total wall time against the time its shots take (first shot queued → last
 * shot done, from its `--json` events). With `--before DIR` (a checkout of an earlier commit with
 * its dependencies installed), that version runs alternately with this one in the same session.
 *
 *   pnpm exec tsx apps/cli/bench/main-command.ts [--runs 3] [--before /tmp/storyreel-before]
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, before: { type: 'string' } },
})
const HERE = new URL('../../../', import.meta.url).pathname

interface Timed {
  wallMs: number
  shotsMs: number
}

async function renderOnce(root: string): Promise<Timed> {
  const dir = await mkdtemp(join(tmpdir(), 'storyreel-bench-main-'))
  try {
    const started = Date.now()
    const child = spawn(
      process.execPath,
      [
        join(root, 'apps/cli/bin/storyreel.js'),
        'render',
        join(root, 'storyboards/storm-at-sea.yaml'),
        '--out',
        join(dir, 'run'),
        '--json',
      ],
      {
        cwd: dir,
        env: {
          ...process.env,
          STORYREEL_CACHE_DIR: join(dir, 'cache'),
          WAVESPEED_API_KEY: '',
          NO_COLOR: '1',
        },
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    )
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    const wallMs = Date.now() - started
    if (code !== 0) throw new Error(`render exited ${code}`)
    const events = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; state?: string; time: string })
    const shots = events.filter((e) => e.type === 'shot')
    const first = Date.parse(shots[0]!.time)
    const lastDone = Math.max(...shots.filter((e) => e.state === 'done').map((e) => Date.parse(e.time)))
    return { wallMs, shotsMs: lastDone - first }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2
}
const variants = [...(values.before ? [['before', values.before] as const] : []), ['now', HERE] as const]
const results = new Map<string, Timed[]>(variants.map(([name]) => [name, []]))
for (let run = 1; run <= Number(values.runs); run++) {
  for (const [name, root] of variants) {
    const timed = await renderOnce(root)
    results.get(name)!.push(timed)
    process.stdout.write(
      `run ${run} ${name}: wall ${(timed.wallMs / 1000).toFixed(1)} s, shots ${(timed.shotsMs / 1000).toFixed(1)} s, ratio ${(timed.wallMs / timed.shotsMs).toFixed(2)}x\n`,
    )
  }
}
for (const [name, timed] of results) {
  process.stdout.write(
    `${name}: median wall ${(median(timed.map((t) => t.wallMs)) / 1000).toFixed(1)} s, shots ${(median(timed.map((t) => t.shotsMs)) / 1000).toFixed(1)} s, ratio ${median(timed.map((t) => t.wallMs / t.shotsMs)).toFixed(2)}x\n`,
  )
}
