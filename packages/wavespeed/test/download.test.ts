import { mkdir, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { createClient } from '../src/index.ts'
import { FAST, startFakeApi } from './helpers/fake-api.ts'
import { tempDir } from './helpers/sim.ts'

const PAYLOAD = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7) % 251))

function client(baseUrl: string) {
  return createClient({ apiKey: 'sk-download-test-key', baseUrl, ...FAST })
}

/** Serves PAYLOAD; `cut(n)` says how many bytes the n-th transfer sends before the connection dies. */
async function fileServer(options: {
  ranges: boolean
  cut: (n: number) => number | undefined
  lie?: boolean
}) {
  let n = 0
  const ranges: string[] = []
  const api = await startFakeApi((req, res) => {
    const range = /^bytes=(\d+)-$/.exec(String(req.headers.range ?? ''))
    if (req.headers.range) ranges.push(String(req.headers.range))
    const start = options.ranges && range ? Number(range[1]) : 0
    const body = PAYLOAD.subarray(start)
    const headers: Record<string, string> = {
      'content-type': 'video/mp4',
      'content-length': String(body.length),
    }
    if (options.ranges) headers['accept-ranges'] = 'bytes'
    if (start > 0) headers['content-range'] = `bytes ${start}-${PAYLOAD.length - 1}/${PAYLOAD.length}`
    res.writeHead(start > 0 ? 206 : 200, headers)
    const cut = options.cut(++n)
    if (cut === undefined) return void res.end(body)
    // Let the client consume what arrived, as in a transfer that breaks midway.
    res.write(body.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 30))
  })
  return { ...api, ranges, transfers: () => n }
}

describe('download', () => {
  test('resumes a broken transfer with a Range request and writes the exact bytes', async () => {
    const server = await fileServer({ ranges: true, cut: (n) => (n <= 2 ? 50_000 : undefined) })
    const dir = await tempDir()
    const report = await client(server.url).download(`${server.url}/outputs/a.mp4`, join(dir, 'a.mp4'))
    expect(Buffer.compare(await readFile(join(dir, 'a.mp4')), PAYLOAD)).toBe(0)
    expect(report.attempts).toBe(3)
    // The second transfer resumes where the first broke (later ones depend on how much arrived before the cut).
    expect(server.ranges[0]).toBe('bytes=50000-')
    expect(await readdir(dir)).toEqual(['a.mp4'])
  })

  test('starts over when the server does not accept ranges', async () => {
    const server = await fileServer({ ranges: false, cut: (n) => (n === 1 ? 120_000 : undefined) })
    const dir = await tempDir()
    await client(server.url).download(`${server.url}/outputs/b.mp4`, join(dir, 'b.mp4'))
    expect(Buffer.compare(await readFile(join(dir, 'b.mp4')), PAYLOAD)).toBe(0)
    expect(server.ranges).toEqual([])
  })

  test('a transfer that always ends short of Content-Length fails with WS_DOWNLOAD and leaves no file', async () => {
    const server = await fileServer({ ranges: false, cut: () => 10_000 })
    const dir = await tempDir()
    const error = await client(server.url)
      .download(`${server.url}/outputs/c.mp4`, join(dir, 'c.mp4'), { retries: 2 })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'WS_DOWNLOAD', retryable: true })
    expect((error as Error).message).toMatch(/after 3 attempts/)
    expect(server.transfers()).toBe(3)
    expect(await readdir(dir)).toEqual([])
  })

  test.each([404, 410])('HTTP %i on the output is WS_OUTPUT_EXPIRED, without retries', async (status) => {
    const api = await startFakeApi((_req, res) => {
      res.statusCode = status
      res.end('gone')
    })
    const dir = await tempDir()
    const error = await client(api.url)
      .download(`${api.url}/outputs/old.mp4`, join(dir, 'old.mp4'))
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'WS_OUTPUT_EXPIRED', httpStatus: status })
    expect((error as Error).message).toMatch(/7 days/)
    expect(api.seen).toHaveLength(1)
  })

  test('never sends the API key to the output host', async () => {
    const server = await fileServer({ ranges: true, cut: () => undefined })
    const dir = await tempDir()
    await client(server.url).download(`${server.url}/outputs/d.mp4`, join(dir, 'd.mp4'))
    expect(server.seen[0]?.headers.authorization).toBeUndefined()
  })

  test('refuses http output URLs when the API is https', async () => {
    const dir = await tempDir()
    await mkdir(dir, { recursive: true })
    const https = createClient({ apiKey: 'k-123456789', baseUrl: 'https://api.wavespeed.ai' })
    await expect(https.download('http://cdn.example/x.mp4', join(dir, 'x.mp4'))).rejects.toMatchObject({
      code: 'WS_UNSAFE_URL',
    })
    await expect(https.download('file:///etc/passwd', join(dir, 'x.mp4'))).rejects.toMatchObject({
      code: 'WS_UNSAFE_URL',
    })
  })
})
