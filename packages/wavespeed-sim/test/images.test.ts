import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { describe, expect, onTestFinished, test } from 'vitest'
import { api, makeImage, type PredictionData, useSimulator, useTempDir, waitForResult } from './helpers.ts'

const I2V = 'kwaivgi/kling-v2.1-i2v-pro'

/** Serves fixed files on loopback, as any image host would. */
async function serveFiles(files: Record<string, Buffer>): Promise<string> {
  const server = createServer((req, res) => {
    const body = files[req.url ?? '']
    if (!body) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-length': body.length }).end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onTestFinished(
    () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  )
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function submitImage(
  sim: Awaited<ReturnType<typeof useSimulator>>,
  image: string,
): Promise<PredictionData> {
  const { data } = await api<PredictionData>(sim, 'POST', I2V, { image, prompt: 'x' })
  return waitForResult(sim, data.id)
}

describe('input images', () => {
  test('an unreachable URL fails the prediction with 1402', async () => {
    const sim = await useSimulator()
    const host = await serveFiles({})
    for (const url of [`${host}/missing.png`, 'https://example.com/cat.png']) {
      expect(await submitImage(sim, url)).toMatchObject({
        status: 'failed',
        code: 1402,
        error: 'Failed to download image from the provided URL.',
      })
    }
  })

  test('images outside the Kling limits fail with 1401 and the reason', async () => {
    const sim = await useSimulator()
    const dir = await useTempDir()
    const host = await serveFiles({
      '/small.png': await makeImage(join(dir, 'small.png'), 298, 400),
      '/wide.jpg': await makeImage(join(dir, 'wide.jpg'), 1300, 500),
      '/tall.png': await makeImage(join(dir, 'tall.png'), 300, 760),
      '/anim.gif': await makeImage(join(dir, 'anim.gif'), 400, 400),
      '/text.png': Buffer.from('this is not an image at all'),
    })
    const expectations: [string, RegExp][] = [
      ['/small.png', /298x400; both sides must be at least 300 px/],
      ['/wide.jpg', /aspect ratio is 2\.60:1/],
      ['/tall.png', /aspect ratio is 0\.39:1/],
      ['/anim.gif', /format is gif; only JPEG and PNG/],
      ['/text.png', /not a readable image/],
    ]
    for (const [path, reason] of expectations) {
      const result = await submitImage(sim, `${host}${path}`)
      expect(result, path).toMatchObject({ status: 'failed', code: 1401 })
      expect(result.error).toMatch(reason)
    }
    expect(sim.stats()).toMatchObject({ createdTotal: 5, refunded: 2.25 })
  })

  test('the hash of every fetched image is recorded with the submission', async () => {
    const sim = await useSimulator()
    const dir = await useTempDir()
    const png = await makeImage(join(dir, 'ok.png'), 400, 300)
    const host = await serveFiles({ '/ok.png': png })
    const result = await submitImage(sim, `${host}/ok.png`)
    expect(result.status).toBe('completed')
    const { createHash } = await import('node:crypto')
    expect(sim.submissions()[0]!.images).toEqual([
      { field: 'image', ref: `${host}/ok.png`, sha256: createHash('sha256').update(png).digest('hex') },
    ])
  })

  test('base64 images are refused unless acceptBase64Images is set', async () => {
    const dir = await useTempDir()
    const png = await makeImage(join(dir, 'ok.png'), 400, 300)
    const strict = await useSimulator()
    expect(await submitImage(strict, png.toString('base64'))).toMatchObject({ status: 'failed', code: 1402 })
    const lenient = await useSimulator({ acceptBase64Images: true })
    expect((await submitImage(lenient, png.toString('base64'))).status).toBe('completed')
    expect((await submitImage(lenient, `data:image/png;base64,${png.toString('base64')}`)).status).toBe(
      'completed',
    )
  })
})

describe('uploads', () => {
  test('the ticket PUT needs exactly the ticket headers and no Authorization', async () => {
    const sim = await useSimulator()
    const bytes = Buffer.from('0123456789')
    const ticket = await api<{
      download_url: string
      upload: { method: string; url: string; headers: Record<string, string> }
    }>(sim, 'POST', 'media/uploads', { filename: 'frame.png', size: bytes.length, content_type: 'image/png' })
    expect(ticket.data.upload).toMatchObject({ method: 'PUT', headers: { 'Content-Type': 'image/png' } })
    const put = (headers: Record<string, string>, body = bytes) =>
      fetch(ticket.data.upload.url, { method: 'PUT', headers, body })
    expect((await put({ 'Content-Type': 'image/png', Authorization: `Bearer ${sim.apiKey}` })).status).toBe(
      400,
    )
    expect((await put({ 'Content-Type': 'image/jpeg' })).status).toBe(403)
    expect((await put(ticket.data.upload.headers, Buffer.from('short'))).status).toBe(400)
    expect((await fetch(ticket.data.download_url)).status).toBe(404)
    expect((await put(ticket.data.upload.headers)).status).toBe(200)
    const fetched = await fetch(ticket.data.download_url)
    expect(fetched.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await fetched.arrayBuffer())).toEqual(bytes)
  })

  test('the multipart binary upload returns a download URL for the file', async () => {
    const sim = await useSimulator()
    const dir = await useTempDir()
    const png = await makeImage(join(dir, 'frame.png'), 320, 320)
    const form = new FormData()
    form.append('file', new Blob([png], { type: 'image/png' }), 'frame.png')
    const response = await fetch(`${sim.url}/api/v3/media/upload/binary`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.apiKey}` },
      body: form,
    })
    const reply = (await response.json()) as {
      code: number
      data: { type: string; download_url: string; filename: string; size: number }
    }
    expect(reply).toMatchObject({
      code: 200,
      data: { type: 'image', filename: 'frame.png', size: png.length },
    })
    expect(Buffer.from(await (await fetch(reply.data.download_url)).arrayBuffer())).toEqual(png)
  })

  test('uploads over the size limit are refused with 413', async () => {
    const sim = await useSimulator()
    const reply = await api(sim, 'POST', 'media/uploads', { filename: 'huge.png', size: 21 * 1024 * 1024 })
    expect(reply).toMatchObject({ httpStatus: 413, code: 413 })
  })
})
