import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { createClient } from '../src/index.ts'
import { FAST, pour, startFakeApi } from './helpers/fake-api.ts'
import { startHttpsServer } from './helpers/https.ts'
import { tempDir } from './helpers/sim.ts'

const KEY = 'sk-download-limits-key-42'
const MB = 1024 * 1024

function client(baseUrl: string, extra: object = {}) {
  return createClient({ apiKey: KEY, baseUrl, ...FAST, ...extra })
}

describe('download limits', () => {
  test('an output that streams on and on stops at maxDownloadBytes, with no partial file left', async () => {
    const sent = { bytes: 0 }
    // No Content-Length: nothing tells the client when it ends. 64 MB stands in for "forever".
    const cdn = await startFakeApi((_req, res) =>
      pour(res, { total: 64 * MB, sent, headers: { 'content-type': 'video/mp4' } }),
    )
    const dir = await tempDir()
    const error = await client(cdn.url, { maxDownloadBytes: MB })
      .download(`${cdn.url}/outputs/endless.mp4`, join(dir, 'endless.mp4'))
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'WS_DOWNLOAD_TOO_LARGE', retryable: false })
    expect((error as Error).message).toMatch(/larger than the 1\.0 MB a clip may be .*nothing was kept/)
    expect(await readdir(dir)).toEqual([])
    expect(sent.bytes).toBeLessThan(32 * MB)
    expect(cdn.seen).toHaveLength(1)
  })

  test('a Content-Length above the cap is refused before anything is written', async () => {
    const cdn = await startFakeApi((_req, res) => {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(2 * 1024 * MB) })
      res.write(Buffer.alloc(1024))
    })
    const dir = await tempDir()
    const error = await client(cdn.url)
      .download(`${cdn.url}/outputs/big.mp4`, join(dir, 'big.mp4'), { maxBytes: 10 * MB })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'WS_DOWNLOAD_TOO_LARGE' })
    expect((error as Error).message).toMatch(/it announced 2048\.0 MB/)
    expect(await readdir(dir)).toEqual([])
  })

  test(
    'a transfer that trickles ends at the overall time limit, though no single chunk is late',
    { timeout: 10_000 },
    async () => {
      const cdn = await startFakeApi((_req, res) => {
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(10 * MB) })
        const drip = setInterval(() => res.write(Buffer.alloc(100)), 50)
        res.on('close', () => clearInterval(drip))
      })
      const dir = await tempDir()
      const error = await client(cdn.url, { downloadTimeoutMs: 800 })
        .download(`${cdn.url}/outputs/slow.mp4`, join(dir, 'slow.mp4'))
        .catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'WS_DOWNLOAD', retryable: true })
      expect((error as Error).message).toMatch(/did not finish within 1 s; nothing was kept.*run again/)
      expect(await readdir(dir)).toEqual([])
    },
  )
})

describe('download redirects (https API)', () => {
  test('are followed to https on another host, never carrying the key', async () => {
    const payload = Buffer.from('a real clip, or close enough')
    const tls = await startHttpsServer((req, res) => {
      if (req.url === '/outputs/p1.mp4') {
        res.writeHead(302, { location: `https://localhost:${tls.port}/cdn/p1.mp4` })
        res.end()
        return
      }
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(payload.length) })
      res.end(payload)
    })
    const dir = await tempDir()
    await client(tls.url, { dispatcher: tls.dispatcher }).download(
      `${tls.url}/outputs/p1.mp4`,
      join(dir, 'p1.mp4'),
    )
    expect(await readFile(join(dir, 'p1.mp4'))).toEqual(payload)
    expect(tls.seen.map((r) => [r.headers.host, r.url, r.headers.authorization])).toEqual([
      [`127.0.0.1:${tls.port}`, '/outputs/p1.mp4', undefined],
      [`localhost:${tls.port}`, '/cdn/p1.mp4', undefined],
    ])
  })

  test('to plain http are refused with WS_UNSAFE_URL: the http host is never asked', async () => {
    const plain = await startFakeApi((_req, res) => res.end('tampered'))
    const tls = await startHttpsServer((_req, res) => {
      res.writeHead(301, { location: `${plain.url}/p1.mp4` })
      res.end()
    })
    const dir = await tempDir()
    const error = await client(tls.url, { dispatcher: tls.dispatcher })
      .download(`${tls.url}/outputs/p1.mp4`, join(dir, 'p1.mp4'))
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'WS_UNSAFE_URL' })
    expect((error as Error).message).toMatch(
      /Refusing to fetch http:\/\/127\.0\.0\.1:\d+\/p1\.mp4, where 127\.0\.0\.1:\d+\/outputs\/p1\.mp4 redirected, *: .*only https/,
    )
    expect(plain.seen).toEqual([])
    expect(await readdir(dir)).toEqual([])
  })
})
