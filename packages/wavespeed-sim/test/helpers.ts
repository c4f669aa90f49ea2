import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { FFMPEG, FFPROBE } from '@storyreel/test-utils'
import { expect, onTestFinished } from 'vitest'
import { type Simulator, type SimulatorOptions, startSimulator } from '../src/index.ts'

const run = promisify(execFile)

/** A simulator closed when the test ends. Fast by default: short latency, small clips. */
export async function useSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator({ latencyMs: 100, videoScale: 0.2, ...options })
  onTestFinished(() => sim.close())
  return sim
}

export async function useTempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wavespeed-sim-test-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  return dir
}

export interface Envelope<T = Record<string, unknown>> {
  readonly httpStatus: number
  readonly headers: Headers
  readonly code: number
  readonly message: string
  readonly data: T
}

/** Calls the API with the simulator's key (or `key`), returning the parsed envelope. */
export async function api<T = Record<string, unknown>>(
  sim: Simulator,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  key: string | undefined = sim.apiKey,
): Promise<Envelope<T>> {
  const response = await fetch(`${sim.url}/api/v3/${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  })
  const json = (await response.json()) as { code: number; message: string; data: T }
  return { httpStatus: response.status, headers: response.headers, ...json }
}

export interface PredictionData {
  id: string
  status: string
  outputs: string[]
  error: string
  code?: number
  created_at: string
  model: string
  input: Record<string, unknown>
  urls: { get: string }
  timings: { inference: number }
  executionTime: number
}

/** Polls the result endpoint until the prediction leaves created/processing. */
export async function waitForResult(sim: Simulator, id: string, intervalMs = 25): Promise<PredictionData> {
  for (;;) {
    const { data } = await api<PredictionData>(sim, 'GET', `predictions/${id}/result`)
    if (data.status !== 'created' && data.status !== 'processing') return data
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/** A still made with lavfi (`source` e.g. `color=c=red` or `testsrc2`), as PNG or JPEG by extension. */
export async function makeImage(
  dest: string,
  width: number,
  height: number,
  source = 'testsrc2',
): Promise<Buffer> {
  await run(FFMPEG, [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `${source}${source.includes('=') ? ':' : '='}s=${width}x${height}`,
    '-frames:v',
    '1',
    dest,
  ])
  return readFile(dest)
}

/** An image of four solid quadrants: red, green / blue, yellow. */
export async function makeQuadrants(dest: string, width: number, height: number): Promise<Buffer> {
  const w = width / 2
  const h = height / 2
  const graph = [
    `color=c=red:s=${w}x${h}[a]`,
    `color=c=lime:s=${w}x${h}[b]`,
    `color=c=blue:s=${w}x${h}[c]`,
    `color=c=yellow:s=${w}x${h}[d]`,
    '[a][b]hstack[top]',
    '[c][d]hstack[bottom]',
    '[top][bottom]vstack',
  ]
  await run(FFMPEG, ['-v', 'error', '-y', '-filter_complex', graph.join(';'), '-frames:v', '1', dest])
  return readFile(dest)
}

export interface Frame {
  readonly width: number
  readonly height: number
  readonly rgb: Buffer
  pixel(x: number, y: number): [number, number, number]
}

/** Decodes frame `index` (0-based) of a video of `width`x`height` to RGB24. */
export async function readFrame(file: string, index: number, width: number, height: number): Promise<Frame> {
  const { stdout } = await run(
    FFMPEG,
    [
      '-v',
      'error',
      '-i',
      file,
      '-vf',
      `select=eq(n\\,${index})`,
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ],
    {
      encoding: 'buffer',
      maxBuffer: 64 * 1024 * 1024,
    },
  )
  return {
    width,
    height,
    rgb: stdout,
    pixel(x, y) {
      const at = (Math.floor(y) * width + Math.floor(x)) * 3
      return [stdout[at]!, stdout[at + 1]!, stdout[at + 2]!]
    },
  }
}

export async function probeVideo(
  file: string,
): Promise<{ codec: string; width: number; height: number; frames: number; duration: number; fps: string }> {
  const { stdout } = await run(FFPROBE, [
    '-v',
    'error',
    '-count_frames',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=codec_name,width,height,nb_read_frames,duration,r_frame_rate',
    '-of',
    'json',
    file,
  ])
  const stream = (JSON.parse(stdout) as { streams: Record<string, string | number>[] }).streams[0]!
  return {
    codec: String(stream.codec_name),
    width: Number(stream.width),
    height: Number(stream.height),
    frames: Number(stream.nb_read_frames),
    duration: Number(stream.duration),
    fps: String(stream.r_frame_rate),
  }
}

/** Downloads a URL to a file in `dir`. */
export async function download(url: string, dir: string, name = 'clip.mp4'): Promise<string> {
  const response = await fetch(url)
  if (!response.ok) throw new Error(`GET ${url} -> ${response.status}`)
  const file = join(dir, name)
  await writeFile(file, Buffer.from(await response.arrayBuffer()))
  return file
}

export function closeTo(actual: readonly number[], expected: readonly number[], tolerance: number): boolean {
  return actual.every((value, i) => Math.abs(value - expected[i]!) <= tolerance)
}

/** Uploads bytes through the ticket flow; returns the download URL to put in an image field. */
export async function upload(sim: Simulator, bytes: Buffer, filename: string): Promise<string> {
  const ticket = await api<{
    download_url: string
    upload: { url: string; headers: Record<string, string> }
  }>(sim, 'POST', 'media/uploads', { filename, size: bytes.length })
  await fetch(ticket.data.upload.url, { method: 'PUT', headers: ticket.data.upload.headers, body: bytes })
  return ticket.data.download_url
}

/** Submits, waits for completion and downloads the clip into `dir`. */
export async function render(
  sim: Simulator,
  model: string,
  params: Record<string, unknown>,
  dir: string,
): Promise<string> {
  const { data } = await api<PredictionData>(sim, 'POST', model, params)
  const result = await waitForResult(sim, data.id)
  expect(result.status, result.error).toBe('completed')
  return download(result.outputs[0]!, dir, `${data.id}.mp4`)
}

/** Mean absolute difference of two same-sized RGB frames, 0 to 255. */
export function meanDiff(a: Frame, b: Frame): number {
  return a.rgb.reduce((sum, value, i) => sum + Math.abs(value - b.rgb[i]!), 0) / a.rgb.length
}
