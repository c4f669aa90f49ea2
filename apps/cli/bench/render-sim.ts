/**
 * `storyreel render` against the simulator, measured from the outside (issue 11, targets 1 and 5,
 * and the peak RSS): the CLI runs as a user runs it (its own process), the simulator in this one.
 *
 *   pnpm exec tsx apps/cli/bench/render-sim.ts [--shots 12] [--chain 3] [--latency 8000] [--latency-jitter 0] [--runs 3] [--webhook] [--video-scale 1] [--no-baseline]
 *
 * Each run renders a fresh run directory with `--force` (every shot a new prediction) after one
 * warm-up run that fills the render-time file and ffmpeg's capability cache. Figures per run:
 * - reel: the last clip landing (the latest `timings.completedAt` in the manifest) → the reel
 *   written (`reel.writtenAt`), and, as the same-run baseline, stitching the same clips from
 *   scratch the way render did before the live reel (`assembleReel` into an empty work folder);
 * - hand-off: for every chained shot, its upstream prediction finishing at the API (the
 *   simulator's clock) → its own prediction created there, split at the moment the client
 *   noticed (its first result request that saw the end; a webhook delivery shows no request);
 * - peak RSS of the CLI process (VmHWM from /proc, sampled every 100 ms).
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { assembleReel, runFfmpeg } from '@storyreel/assembler'
import { startSimulator } from '@storyreel/wavespeed-sim'
import type { Manifest } from '../src/render/manifest.ts'

const { values } = parseArgs({
  options: {
    shots: { type: 'string', default: '12' },
    chain: { type: 'string', default: '3' },
    latency: { type: 'string', default: '8000' },
    // Real renders of one model vary; without jitter every chain's clips land in lockstep.
    'latency-jitter': { type: 'string', default: '0' },
    runs: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '4' },
    webhook: { type: 'boolean', default: false },
    'video-scale': { type: 'string', default: '1' },
    'no-baseline': { type: 'boolean', default: false },
  },
})
const SHOTS = Number(values.shots)
const CHAIN = Number(values.chain)
const RUNS = Number(values.runs)
const KEY = 'sk-bench-0123456789-SECRET'
const BIN = new URL('../bin/storyreel.js', import.meta.url).pathname

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0
    ? NaN
    : s.length % 2
      ? s[(s.length - 1) / 2]!
      : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Runs the CLI, sampling its peak RSS (kB) until it exits. */
function runCli(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stderr: string; peakKb: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    let peakKb = 0
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const sample = setInterval(() => {
      readFile(`/proc/${child.pid}/status`, 'utf8').then(
        (status) => (peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0))),
        () => undefined,
      )
    }, 100)
    child.on('error', reject)
    child.on('close', (code) => {
      clearInterval(sample)
      resolve({ code, stderr, peakKb })
    })
  })
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'storyreel-bench-render-'))
  const sim = await startSimulator({
    apiKey: KEY,
    latencyMs: Number(values.latency),
    latencyJitterMs: Number(values['latency-jitter']),
    concurrency: Number(values.concurrency),
    videoScale: Number(values['video-scale']),
  })
  const steps: Record<string, number[]> = {}
  try {
    // A 16:9 start image so the 720p model renders 1280x720 clips.
    await runFfmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=1280x720', '-frames:v', '1', join(dir, 'start.png')])
    const shots = Array.from({ length: SHOTS }, (_, i) => {
      const head = i % CHAIN === 0
      return `  - id: s${String(i + 1).padStart(3, '0')}\n    prompt: Shot ${i + 1} of the bench.\n${head ? '    image: start.png\n' : ''}`
    })
    await writeFile(
      join(dir, 'board.yaml'),
      `version: 1\ntitle: Bench\ndefaults: { model: kling-v2.1-i2v-standard, duration: 5 }\noutput:\n  file: reel.mp4\n  width: 1280\n  height: 720\n  fps: 24\n  transition: { type: crossfade, duration: 0.5 }\nshots:\n${shots.join('')}`,
    )
    const env = {
      WAVESPEED_API_KEY: KEY,
      WAVESPEED_BASE_URL: sim.url,
      STORYREEL_CACHE_DIR: join(dir, 'cache'),
    }
    const render = async (out: string) => {
      const port = values.webhook ? await freePort() : undefined
      const webhook = port
        ? ['--webhook-url', `http://127.0.0.1:${port}`, '--webhook-port', String(port)]
        : []
      const started = Date.now()
      const result = await runCli(
        [
          'render',
          'board.yaml',
          '--yes',
          '--force',
          '--out',
          out,
          '--concurrency',
          String(values.concurrency),
          ...webhook,
        ],
        dir,
        env,
      )
      if (result.code !== 0) throw new Error(`render failed (${result.code}):\n${result.stderr}`)
      return { ...result, wallMs: Date.now() - started }
    }
    process.stdout.write(
      `${SHOTS} shots (chains of ${CHAIN}), clips at ${values['video-scale']} of 720p, crossfades, latency ${values.latency} ms (± ${values['latency-jitter']}), ${values.webhook ? 'webhooks' : 'polling (learned render times)'}\n`,
    )
    await render('warm-up')
    const rows: {
      reelMs: number
      baselineMs?: number
      handoffs: number[]
      noticed: number[]
      rest: number[]
      peakKb: number
      wallMs: number
    }[] = []
    for (let run = 1; run <= RUNS; run++) {
      const seenBefore = new Set(sim.timelines().map((t) => t.id))
      const out = `run-${run}`
      const result = await render(out)
      const manifest = JSON.parse(await readFile(join(dir, out, 'manifest.json'), 'utf8')) as Manifest
      const lastClip = Math.max(...manifest.shots.map((s) => Date.parse(s.timings!.completedAt!)))
      const reelMs = Date.parse(manifest.reel!.writtenAt!) - lastClip
      const timelines = new Map(
        sim
          .timelines()
          .filter((t) => !seenBefore.has(t.id))
          .map((t) => [t.id, t]),
      )
      const predictionOf = (id: string) =>
        timelines.get(manifest.shots.find((s) => s.id === id)!.attempts.at(-1)!.predictionId!)!
      const journal = (await readFile(join(dir, out, 'journal.ndjson'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; shot?: string; at: number })
      const at = (type: string, shot: string) =>
        journal.findLast((r) => r.type === type && r.shot === shot)?.at ?? NaN
      const handoffs: number[] = []
      const noticed: number[] = []
      const rest: number[] = []
      for (const shot of manifest.shots) {
        const upstream = shot.dependsOn[0]
        if (!upstream) continue
        const from = predictionOf(upstream)
        const to = predictionOf(shot.id)
        handoffs.push(to.createdAt - from.finishedAt!)
        const seen = from.noticedAt ?? from.finishedAt!
        noticed.push(seen - from.finishedAt!)
        rest.push(to.createdAt - seen)
        for (const [name, ms] of [
          ['completed journaled', at('completed', upstream) - from.finishedAt!],
          // The upstream's full verification (its `downloaded` record) now ends after this hand-off.
          ['download + last frame + slot (intent)', at('intent', shot.id) - at('completed', upstream)],
          ['upload + POST (submitted)', at('submitted', shot.id) - at('intent', shot.id)],
        ] as const)
          (steps[name] ??= []).push(ms)
      }
      let baselineMs: number | undefined
      if (!values['no-baseline']) {
        // Before the live reel, render stitched every clip only after the last one landed.
        const began = Date.now()
        await assembleReel({
          segments: manifest.shots.map((s) => ({
            id: s.id,
            file: join(dir, out, s.clip!.file),
            seam: false,
            transition: { type: 'crossfade' as const, duration: 0.5 },
          })),
          output: {
            file: join(dir, out, 'baseline.mp4'),
            width: 1280,
            height: 720,
            fps: 24,
            fit: 'contain',
            transition: { type: 'crossfade', duration: 0.5 },
          },
          workDir: join(dir, out, '.baseline-work'),
          cacheDir: join(dir, 'cache'),
        })
        baselineMs = Date.now() - began
      }
      rows.push({
        reelMs,
        ...(baselineMs !== undefined && { baselineMs }),
        handoffs,
        noticed,
        rest,
        peakKb: result.peakKb,
        wallMs: result.wallMs,
      })
      process.stdout.write(
        `run ${run}: wall ${sec(result.wallMs)}; last clip → reel ${sec(reelMs)}${baselineMs !== undefined ? ` (stitching from scratch: ${sec(baselineMs)})` : ''}; ` +
          `hand-off median ${sec(median(handoffs))} [noticed ${sec(median(noticed))} + fetch, frame, upload, submit ${sec(median(rest))}] of ${handoffs.length}; peak RSS ${(result.peakKb / 1024).toFixed(0)} MB\n`,
      )
    }
    process.stdout.write(
      `median: last clip → reel ${sec(median(rows.map((r) => r.reelMs)))}` +
        (values['no-baseline'] ? '' : `; from scratch ${sec(median(rows.map((r) => r.baselineMs!)))}`) +
        `; hand-off ${sec(median(rows.flatMap((r) => r.handoffs)))} (noticed ${sec(median(rows.flatMap((r) => r.noticed)))}, rest ${sec(median(rows.flatMap((r) => r.rest)))})` +
        `; peak RSS ${(median(rows.map((r) => r.peakKb)) / 1024).toFixed(0)} MB; wall ${sec(median(rows.map((r) => r.wallMs)))}\n`,
    )
    process.stdout.write(
      `hand-off steps (medians, from the journal): ${Object.entries(steps)
        .map(([name, ms]) => `${name} ${sec(median(ms))}`)
        .join('; ')}\n`,
    )
  } finally {
    await sim.close()
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
