import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { chainsPlan } from './helpers/plan.ts'
import { runPlan } from './helpers/run.ts'
import { createdPerShot, simProvider, startSim, tempDir } from './helpers/sim.ts'

const CHILD = fileURLToPath(new URL('./fixtures/run-child.ts', import.meta.url))
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const CHAINS = 2
const LENGTH = 2

interface KillPoint {
  readonly name: string
  /** Decides, from each line the child prints and the journal's line count, when to SIGKILL it. */
  readonly killWhen: (event: { type?: string }, journalLines: number) => boolean
  readonly hangAfterSubmit?: boolean
  /** How the re-run must have picked up the prediction the killed run left behind. */
  readonly expectOrigin?: 'reattached' | 'recovered'
}

const killPoints: KillPoint[] = [
  {
    name: 'after 2 journal lines (an intent written, its POST maybe not sent)',
    killWhen: (_e, lines) => lines >= 2,
  },
  {
    name: 'after the first submitted event',
    killWhen: (e) => e.type === 'submitted',
    expectOrigin: 'reattached',
  },
  {
    name: 'during the first download',
    killWhen: (e) => e.type === 'downloading',
    expectOrigin: 'reattached',
  },
  { name: 'after a chain head is done (mid-chain)', killWhen: (e) => e.type === 'done' },
  {
    name: 'with a prediction created but its id never journaled',
    killWhen: (e) => e.type === 'created-unrecorded',
    hangAfterSubmit: true,
    expectOrigin: 'recovered',
  },
]

/** Runs the child until `killWhen` says so, then SIGKILLs it; resolves with what it printed. */
function runAndKill(
  config: object,
  journal: string,
  point: KillPoint,
): Promise<{ killed: boolean; lines: string[] }> {
  return new Promise((resolve, reject) => {
    // The workspace's packages from their source, as vitest resolves them (no build needed).
    const child = spawn(process.execPath, ['--conditions=@storyreel/source', '--import', 'tsx', CHILD], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        SCHED_CHILD: JSON.stringify({ ...config, hangAfterSubmit: point.hangAfterSubmit }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const lines: string[] = []
    let stderr = ''
    let killed = false
    const journalLines = () => {
      try {
        return readFileSync(journal, 'utf8').split('\n').filter(Boolean).length
      } catch {
        return 0
      }
    }
    const check = (event: { type?: string }) => {
      if (!killed && point.killWhen(event, journalLines())) {
        killed = child.kill('SIGKILL')
      }
    }
    const poll = setInterval(() => check({}), 2)
    let buffered = ''
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const parts = buffered.split('\n')
      buffered = parts.pop() ?? ''
      for (const line of parts) {
        lines.push(line)
        check(JSON.parse(line) as { type?: string })
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearInterval(poll)
      if (signal === 'SIGKILL' || code === 0) resolve({ killed: signal === 'SIGKILL', lines })
      else reject(new Error(`child exited with ${code}: ${stderr}`))
    })
  })
}

describe('a run killed with SIGKILL and run again', { timeout: 120_000 }, () => {
  it.each(killPoints)('creates exactly one paid prediction per shot: killed $name', async (point) => {
    const dir = await tempDir()
    const sim = await startSim({ latencyMs: 600 })
    const config = {
      url: sim.url,
      apiKey: sim.apiKey,
      runDir: `${dir}/run`,
      cacheDir: `${dir}/cache`,
      chains: CHAINS,
      length: LENGTH,
      concurrency: 2,
    }
    const first = await runAndKill(config, `${dir}/run/journal.ndjson`, point)
    expect(first.killed).toBe(true)

    const plan = chainsPlan(CHAINS, LENGTH)
    const origins: string[] = []
    const result = await runPlan(plan, {
      provider: simProvider(sim),
      runDir: config.runDir,
      cacheDir: config.cacheDir,
      concurrency: 2,
      onEvent: (e) => e.type === 'submitted' && origins.push(e.origin),
    })

    expect(result.failures).toEqual([])
    expect(result.ok).toBe(true)
    expect(sim.stats().createdTotal).toBe(plan.shots.length)
    const perShot = createdPerShot(sim, (prompt) => {
      const [, c, s] = /^chain (\d+) shot (\d+)/.exec(prompt) ?? []
      return `c${c}s${s}`
    })
    expect(perShot).toEqual(Object.fromEntries(plan.shots.map((s) => [s.id, 1])))
    expect(result.ledger).toHaveLength(plan.shots.length)
    if (point.expectOrigin) expect(origins).toContain(point.expectOrigin)
  })
})
