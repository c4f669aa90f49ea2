import { mkdir, readFile, rename, symlink, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
import { tempDir } from '@storyreel/test-utils'
import { describe, expect, onTestFinished, test } from 'vitest'
import {
  type RenderCall,
  type ReviewBackend,
  type ReviewSnapshot,
  startReviewServer,
  TOKEN_HEADER,
} from '../src/index.ts'

interface Reply {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: string
}

/** A raw HTTP request to 127.0.0.1, so the test chooses the Host header (fetch may not). */
function send(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('latin1'),
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

/** A backend whose snapshot is the storyboard's text, and which records what the server asked of it. */
function recordingBackend(runDir: string, storyboard: string) {
  const calls = { renders: 0, picks: [] as [string, number][] }
  const backend: ReviewBackend = {
    runDir,
    async snapshot(): Promise<ReviewSnapshot> {
      const text = await readFile(storyboard, 'utf8')
      return {
        valid: false,
        file: 'board.yaml',
        issues: [{ code: 'TEXT', severity: 'error', file: 'board.yaml', line: 1, col: 1, message: text }],
      }
    },
    async pick(shot, take) {
      calls.picks.push([shot, take])
    },
    async render(call: RenderCall) {
      calls.renders++
      call.onEvent({ type: 'note', message: 'rendering' })
      // A render above the confirmation threshold asks first, as the CLI's does.
      const yes = await call.ask({ message: 'Spend about $6.00 on WaveSpeed?', cost: 6 })
      return { status: yes ? 'completed' : call.signal.aborted ? 'interrupted' : 'declined' }
    },
  }
  return { backend, calls }
}

async function setup() {
  const dir = await tempDir()
  const runDir = join(dir, 'run')
  await mkdir(join(runDir, 'shots'), { recursive: true })
  await writeFile(join(runDir, 'shots', 'a.mp4'), Buffer.from('0123456789abcdefghij'))
  await writeFile(join(runDir, 'journal.ndjson'), '{}\n')
  await writeFile(join(dir, 'outside.mp4'), 'outside')
  await symlink(join(dir, 'outside.mp4'), join(runDir, 'shots', 'link.mp4'))
  const storyboard = join(dir, 'board.yaml')
  await writeFile(storyboard, 'first')
  const { backend, calls } = recordingBackend(runDir, storyboard)
  const server = await startReviewServer({ storyboardFile: storyboard, backend, debounceMs: 50 })
  onTestFinished(() => server.close())
  const page = await send(server.port, '/')
  const token = /name="storyreel-token" content="([^"]+)"/.exec(page.body)?.[1]
  return { dir, storyboard, server, calls, token: token! }
}

describe('review server guards', () => {
  test('binds 127.0.0.1 on a free port and embeds a token in the page', async () => {
    const { server, token } = await setup()
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`)
    expect(server.port).toBeGreaterThan(0)
    expect(token).toMatch(/^[\w-]{40,}$/)
  })

  test('a foreign Host header is refused (403), for pages and for POSTs', async () => {
    const { server, calls, token } = await setup()
    for (const host of [
      'evil.invalid',
      `evil.invalid:${server.port}`,
      `localhost:${server.port}`,
      '127.0.0.1',
    ]) {
      expect((await send(server.port, '/', { headers: { host } })).status).toBe(403)
      expect((await send(server.port, '/api/snapshot', { headers: { host } })).status).toBe(403)
    }
    const post = await send(server.port, '/api/render', {
      method: 'POST',
      headers: { host: 'evil.invalid', [TOKEN_HEADER]: token, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(post.status).toBe(403)
    expect(calls.renders).toBe(0)
  })

  test('a POST without the token, or with a wrong one, is refused (403) and does nothing', async () => {
    const { server, calls, token } = await setup()
    const json = { 'content-type': 'application/json' }
    expect(
      (await send(server.port, '/api/render', { method: 'POST', headers: json, body: '{}' })).status,
    ).toBe(403)
    expect(
      (
        await send(server.port, '/api/pick', {
          method: 'POST',
          headers: { ...json, [TOKEN_HEADER]: `${token}x` },
          body: '{"shot":"a","take":2}',
        })
      ).status,
    ).toBe(403)
    expect(
      (
        await send(server.port, '/api/render', {
          method: 'POST',
          headers: { ...json, [TOKEN_HEADER]: '' },
          body: '{}',
        })
      ).status,
    ).toBe(403)
    // The right token from another origin is refused too.
    expect(
      (
        await send(server.port, '/api/render', {
          method: 'POST',
          headers: { ...json, [TOKEN_HEADER]: token, origin: 'http://evil.invalid' },
          body: '{}',
        })
      ).status,
    ).toBe(403)
    expect(calls).toEqual({ renders: 0, picks: [] })
    const ok = await send(server.port, '/api/pick', {
      method: 'POST',
      headers: { ...json, [TOKEN_HEADER]: token, origin: `http://127.0.0.1:${server.port}` },
      body: '{"shot":"a","take":2}',
    })
    expect(ok.status).toBe(200)
    expect(calls.picks).toEqual([['a', 2]])
  })
})

describe('run files', () => {
  test('clips are served with byte ranges; nothing outside the run directory, and no journal', async () => {
    const { server } = await setup()
    const whole = await send(server.port, '/files/shots/a.mp4')
    expect([whole.status, whole.headers['content-type'], whole.headers['accept-ranges'], whole.body]).toEqual(
      [200, 'video/mp4', 'bytes', '0123456789abcdefghij'],
    )
    const part = await send(server.port, '/files/shots/a.mp4', { headers: { range: 'bytes=10-' } })
    expect([part.status, part.headers['content-range'], part.body]).toEqual([
      206,
      'bytes 10-19/20',
      'abcdefghij',
    ])
    const tail = await send(server.port, '/files/shots/a.mp4', { headers: { range: 'bytes=-3' } })
    expect([tail.status, tail.body]).toEqual([206, 'hij'])
    expect(
      (await send(server.port, '/files/shots/a.mp4', { headers: { range: 'bytes=30-40' } })).status,
    ).toBe(416)
    for (const path of [
      '/files/journal.ndjson',
      '/files/../outside.mp4',
      '/files/%2e%2e/outside.mp4',
      '/files/shots%2f..%2f..%2foutside.mp4',
      '/files/shots/link.mp4',
      '/files/%00.mp4',
    ]) {
      const reply = await send(server.port, path)
      expect([path, reply.status]).toEqual([path, 404])
    }
  })
})

/** The event stream as text, growing as events arrive. */
async function events(port: number): Promise<() => string> {
  const seen: string[] = []
  const stream = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/api/events' }, resolve).on('error', reject).end()
  })
  onTestFinished(() => void stream.destroy())
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => seen.push(chunk))
  return () => seen.join('')
}

const questionId = (text: string) => /event: question\ndata: \{"id":"([^"]+)"/.exec(text)?.[1]

describe('rendering from the page', () => {
  test('progress and the spend question go to the page; its answer decides; one render at a time', async () => {
    const { server, calls, token } = await setup()
    const seen = await events(server.port)
    const post = (path: string, body: unknown) =>
      send(server.port, path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify(body),
      })
    expect((await post('/api/render', {})).status).toBe(202)
    await expect.poll(() => questionId(seen())).toBeTruthy()
    expect(seen()).toContain('event: progress\ndata: {"type":"note","message":"rendering"}')
    expect((await post('/api/render', {})).status).toBe(409)
    expect((await post('/api/pick', { shot: 'a', take: 2 })).status).toBe(409)
    expect((await post('/api/answer', { id: 'not-the-question', yes: true })).status).toBe(404)
    expect((await post('/api/answer', { id: questionId(seen()), yes: false })).status).toBe(200)
    await expect.poll(() => seen()).toContain('event: render-end\ndata: {"status":"declined"}')
    expect(calls.renders).toBe(1)
  })

  test('closing the server while the page is being asked ends the render as interrupted, answered no', async () => {
    const { server, token } = await setup()
    const seen = await events(server.port)
    await send(server.port, '/api/render', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
      body: '{}',
    })
    await expect.poll(() => questionId(seen())).toBeTruthy()
    expect(server.rendering()).toBe(true)
    await server.close()
    expect(seen()).toContain('event: render-end\ndata: {"status":"interrupted"}')
    expect(server.rendering()).toBe(false)
  })
})

describe('live updates', () => {
  test('an editor that saves by renaming a new file over the storyboard reaches the event stream', async () => {
    const { server, storyboard } = await setup()
    const seen: string[] = []
    const stream = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      request({ host: '127.0.0.1', port: server.port, path: '/api/events' }, resolve)
        .on('error', reject)
        .end()
    })
    onTestFinished(() => void stream.destroy())
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => seen.push(chunk))
    await expect.poll(() => seen.join('')).toContain('"message":"first"')
    const started = Date.now()
    await writeFile(`${storyboard}.swp`, 'second')
    await rename(`${storyboard}.swp`, storyboard)
    await expect.poll(() => seen.join(''), { timeout: 1000 }).toContain('"message":"second"')
    expect(Date.now() - started).toBeLessThan(1000)
  })
})
