import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { createClient, createUploadCache, SIX_DAYS_MS } from '../src/index.ts'
import { envelope, FAST, startFakeApi } from './helpers/fake-api.ts'
import { tempDir } from './helpers/sim.ts'

const KEY = 'sk-upload-key-abcdef123'
const BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5])

describe('upload', () => {
  test('ticket flow: PUT with exactly the ticket headers and no Authorization', async () => {
    const api = await startFakeApi((req, res) => {
      if (req.path === '/api/v3/media/uploads')
        return envelope(res, 200, {
          type: 'image',
          download_url: 'https://media.example/abc.png',
          upload: {
            method: 'PUT',
            url: `${api.url}/put/abc?sig=1`,
            headers: { 'Content-Type': 'image/png', 'x-amz-meta-k': 'v' },
          },
        })
      res.statusCode = 200
      res.end()
    })
    const client = createClient({ apiKey: KEY, baseUrl: api.url, ...FAST })
    const result = await client.upload({ data: BYTES, filename: 'frame.png' })
    expect(result.downloadUrl).toBe('https://media.example/abc.png')
    const [ticket, put] = api.seen
    expect(JSON.parse(ticket!.body)).toEqual({
      filename: 'frame.png',
      size: BYTES.length,
      content_type: 'image/png',
    })
    expect(ticket?.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(put?.method).toBe('PUT')
    expect(put?.path).toBe('/put/abc?sig=1')
    expect(put?.headers.authorization).toBeUndefined()
    expect(put?.headers['content-type']).toBe('image/png')
    expect(put?.headers['x-amz-meta-k']).toBe('v')
    expect(Buffer.from(put!.body, 'latin1').length).toBe(BYTES.length)
  })

  test('falls back to the multipart binary upload when the ticket endpoint answers 404', async () => {
    const api = await startFakeApi((req, res) => {
      if (req.path === '/api/v3/media/uploads') return envelope(res, 404, undefined, {}, 'not found')
      envelope(res, 200, { type: 'image', download_url: 'https://media.example/bin.png' })
    })
    const client = createClient({ apiKey: KEY, baseUrl: api.url, ...FAST })
    expect((await client.upload({ data: BYTES, filename: 'frame.png' })).downloadUrl).toBe(
      'https://media.example/bin.png',
    )
    const binary = api.seen[1]
    expect(binary?.path).toBe('/api/v3/media/upload/binary')
    expect(binary?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    expect(binary?.body).toMatch(/name="file"; filename="frame.png"/)
  })
})

describe('upload cache', () => {
  test('same bytes upload once (also concurrently), persist across instances, and re-upload after 6 days', async () => {
    const dir = await tempDir()
    const path = join(dir, 'cache', 'uploads.json')
    let clock = 1_000_000
    let uploads = 0
    const upload = async () => `https://media.example/${++uploads}.png`
    const cache = createUploadCache({ path, now: () => clock })
    const urls = await Promise.all([cache.getOrUpload(BYTES, upload), cache.getOrUpload(BYTES, upload)])
    expect(urls).toEqual(['https://media.example/1.png', 'https://media.example/1.png'])
    const reopened = createUploadCache({ path, now: () => clock })
    clock += SIX_DAYS_MS - 1
    expect(await reopened.getOrUpload(BYTES, upload)).toBe('https://media.example/1.png')
    clock += 2
    expect(await reopened.getOrUpload(BYTES, upload)).toBe('https://media.example/2.png')
    expect(uploads).toBe(2)
    expect(JSON.parse(await readFile(path, 'utf8')).version).toBe(1)
  })
})
