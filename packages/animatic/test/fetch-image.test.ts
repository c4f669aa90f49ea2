import { readdir, readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { countFrames, runFfmpeg } from '@storyreel/assembler'
import { findModel } from '@storyreel/core'
import { Agent, type Dispatcher } from 'undici'
import { describe, expect, onTestFinished, test } from 'vitest'
import { tempDir } from '../../assembler/test/helpers.ts'
import { fetchImage, IMAGE_LIMIT_BYTES } from '../src/fetch-image.ts'
import { createAnimaticProvider } from '../src/index.ts'

// A self-signed certificate for 127.0.0.1, for tests only (openssl req -x509 ... -addext subjectAltName=IP:127.0.0.1).
// The server is real https and the client trusts it through its dispatcher, so the https-only rule is tested as shipped.
const fixtures = join(import.meta.dirname, 'fixtures')
const tls = {
  key: await readFile(join(fixtures, 'loopback.key')),
  cert: await readFile(join(fixtures, 'loopback.crt')),
}

/** An https server on 127.0.0.1 answering with `handle`, closed when the test ends. */
async function hostileServer(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ origin: string; requests: string[] }> {
  const requests: string[] = []
  const server = createServer(tls, (req, res) => {
    requests.push(req.url ?? '')
    handle(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onTestFinished(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  return { origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, requests }
}

/** A client that trusts the test certificate and records every origin it is asked to connect to. */
function trustingClient(): { dispatcher: Dispatcher; origins: string[] } {
  const origins: string[] = []
  class RecordingAgent extends Agent {
    override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
      origins.push(String(options.origin))
      return super.dispatch(options, handler)
    }
  }
  const dispatcher = new RecordingAgent({ connect: { ca: tls.cert } })
  onTestFinished(() => dispatcher.close())
  return { dispatcher, origins }
}

async function png(dir: string): Promise<Buffer> {
  const file = join(dir, 'served.png')
  await runFfmpeg(['-y', '-f', 'lavfi', '-i', 'testsrc2=s=320x180', '-frames:v', '1', file])
  return readFile(file)
}

describe('image URLs', () => {
  test('an https image renders, fetched once into the cache', async () => {
    const dir = await tempDir()
    const image = await png(dir)
    const server = await hostileServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'image/png' }).end(image),
    )
    const { dispatcher } = trustingClient()
    const provider = createAnimaticProvider({
      cacheDir: join(dir, 'cache'),
      shortSide: 90,
      fetch: { dispatcher },
    })
    const model = findModel('kling-v2.1-i2v-standard')!
    const { id } = await provider.submit({
      shotId: 'web',
      model,
      params: { prompt: 'p', duration: 5 },
      startImage: { kind: 'url', url: `${server.origin}/still.png` },
    })
    const { output } = await provider.wait(id)
    expect(await countFrames(output)).toBe(120)
    expect(server.requests).toEqual(['/still.png'])
    expect((await readdir(join(dir, 'cache'))).filter((f) => f.startsWith('image-'))).toHaveLength(1)
  })

  test('a body that never ends is cut off at 10 MB, and nothing is kept', async () => {
    const dir = await tempDir()
    const chunk = Buffer.alloc(64 * 1024, 7)
    let sent = 0
    const server = await hostileServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' })
      const more = (): void => {
        if (res.destroyed) return
        sent += chunk.length
        // Paced, so a client that buffered everything would grow slowly instead of filling the machine.
        if (res.write(chunk)) setTimeout(more, 1)
        else res.once('drain', more)
      }
      more()
    })
    const dest = join(dir, 'image.png')
    const error = await fetchImage(`${server.origin}/forever.png`, dest, {
      dispatcher: trustingClient().dispatcher,
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'ANIMATIC_URL_REFUSED',
      retryable: false,
      limitBytes: IMAGE_LIMIT_BYTES,
    })
    expect((error as Error).message).toBe(
      `The image ${server.origin}/forever.png is larger than 10 MB, the most a start or end image may be; use a smaller image.`,
    )
    expect(await readdir(dir)).toEqual([])
    expect(sent).toBeLessThan(IMAGE_LIMIT_BYTES * 2)
  })

  test('a declared length over the limit is refused without reading the body', async () => {
    const dir = await tempDir()
    const server = await hostileServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(IMAGE_LIMIT_BYTES + 1) })
      res.write('x')
    })
    await expect(
      fetchImage(`${server.origin}/big.png`, join(dir, 'image.png'), {
        dispatcher: trustingClient().dispatcher,
      }),
    ).rejects.toMatchObject({
      code: 'ANIMATIC_URL_REFUSED',
      limitBytes: IMAGE_LIMIT_BYTES,
    })
    expect(await readdir(dir)).toEqual([])
  })

  test('a redirect to http on another host is refused before connecting there', async () => {
    const dir = await tempDir()
    const server = await hostileServer((_req, res) =>
      res.writeHead(302, { location: 'http://something.invalid/still.png' }).end(),
    )
    const client = trustingClient()
    const error = await fetchImage(`${server.origin}/still.png`, join(dir, 'image.png'), {
      dispatcher: client.dispatcher,
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ANIMATIC_URL_REFUSED', retryable: false })
    expect((error as Error).message).toBe(
      `The animatic will not fetch the image ${server.origin}/still.png: it redirects to http://something.invalid/still.png, and redirects are followed only to https on the same host (${server.origin.slice('https://'.length)}). Use the final https URL, or download the image and use the file.`,
    )
    expect(client.origins).toEqual([server.origin])
  })

  test('a redirect to https on another host is refused; one on the same host is followed, but not forever', async () => {
    const dir = await tempDir()
    const image = await png(dir)
    const server = await hostileServer((req, res) => {
      if (req.url === '/elsewhere')
        res.writeHead(301, { location: 'https://cdn.something.invalid/still.png' }).end()
      else if (req.url === '/moved') res.writeHead(307, { location: '/still.png' }).end()
      else if (req.url?.startsWith('/loop'))
        res.writeHead(302, { location: `/loop${Number(req.url.slice(5) || 0) + 1}` }).end()
      else res.writeHead(200).end(image)
    })
    const client = trustingClient()
    const fetching = { dispatcher: client.dispatcher }
    await expect(
      fetchImage(`${server.origin}/elsewhere`, join(dir, 'a.png'), fetching),
    ).rejects.toMatchObject({ code: 'ANIMATIC_URL_REFUSED' })
    await fetchImage(`${server.origin}/moved`, join(dir, 'b.png'), fetching)
    expect(await readFile(join(dir, 'b.png'))).toEqual(image)
    await expect(fetchImage(`${server.origin}/loop`, join(dir, 'c.png'), fetching)).rejects.toThrow(
      /redirects more than 3 times/,
    )
    expect(new Set(client.origins)).toEqual(new Set([server.origin]))
  })

  test('an http URL is refused before any connection', async () => {
    const client = trustingClient()
    await expect(
      fetchImage('http://127.0.0.1:9/still.png', '/nonexistent/image.png', { dispatcher: client.dispatcher }),
    ).rejects.toMatchObject({
      code: 'ANIMATIC_URL_REFUSED',
      message: expect.stringContaining('it is http, and image URLs must be https'),
    })
    expect(client.origins).toEqual([])
  })

  test('a server that stops answering runs into the deadline; an HTTP error says its status', async () => {
    const dir = await tempDir()
    const server = await hostileServer((req, res) => {
      if (req.url === '/missing') res.writeHead(404).end()
      else res.writeHead(200).write('partial') // and then nothing
    })
    const fetching = { dispatcher: trustingClient().dispatcher, timeoutMs: 300 }
    await expect(fetchImage(`${server.origin}/stall`, join(dir, 'a.png'), fetching)).rejects.toMatchObject({
      code: 'ANIMATIC_FETCH',
      retryable: true,
      message: expect.stringContaining('took longer than 0.3 s'),
    })
    await expect(fetchImage(`${server.origin}/missing`, join(dir, 'b.png'), fetching)).rejects.toMatchObject({
      code: 'ANIMATIC_FETCH',
      httpStatus: 404,
      retryable: false,
    })
    expect(await readdir(dir)).toEqual([])
  })
})
