import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test, vi } from 'vitest'
import { findFfmpeg, locateFfmpeg, runFfmpeg } from '../src/index.ts'
import { tempDir } from './helpers.ts'

// fluent-ffmpeg (CommonJS) takes child_process.spawn when it is loaded, so it is watched before anything imports it.
const spawned = await vi.hoisted(async () => {
  const { createRequire } = await import('node:module')
  const childProcess = createRequire(import.meta.url)(
    'node:child_process',
  ) as typeof import('node:child_process')
  const calls: string[][] = []
  const original = childProcess.spawn
  childProcess.spawn = ((command: string, args: string[], ...rest: unknown[]) => {
    calls.push(args)
    return (original as (...a: unknown[]) => unknown)(command, args, ...rest)
  }) as typeof childProcess.spawn
  return calls
})

test('an ffmpeg job is one process: fluent-ffmpeg asks for neither -formats nor -encoders', async () => {
  const dir = await tempDir()
  spawned.length = 0
  await runFfmpeg(['-y', '-f', 'lavfi', '-i', 'testsrc=s=64x36:d=0.1', '-c:v', 'libx264', join(dir, 'a.mp4')])
  await runFfmpeg(['-y', '-f', 'lavfi', '-i', 'sine=d=0.1', '-c:a', 'aac', join(dir, 'a.m4a')])
  expect(spawned.map((args) => args.find((a) => a.startsWith('-') && a !== '-hide_banner'))).toEqual([
    '-nostdin',
    '-nostdin',
  ])
})

test('capabilities are kept in the cache directory per binary, and asked again when the binary changes', async () => {
  const cacheDir = await tempDir()
  const found = await locateFfmpeg({ cacheDir })
  const [name] = await readdir(cacheDir)
  expect(name).toMatch(/^ffmpeg-caps-[0-9a-f]{16}\.json$/)
  const file = join(cacheDir, name!)
  const saved = JSON.parse(await readFile(file, 'utf8')) as {
    binary: { path: string; mtimeMs: number }
    version: string
    filters: string[]
  }
  expect(saved).toMatchObject({ binary: { path: findFfmpeg().ffmpeg.path }, version: found.version })
  expect(saved.filters).toContain('overlay')

  // A fresh process (a fresh module) answers from the file: a filter planted there shows up.
  await writeFile(file, JSON.stringify({ ...saved, filters: [...saved.filters, 'planted'] }))
  vi.resetModules()
  const fresh =
    (await import('../src/internal/capabilities.ts')) as typeof import('../src/internal/capabilities.ts')
  expect((await fresh.ffmpegCapabilities(saved.binary.path, cacheDir)).filters.has('planted')).toBe(true)

  // A file written for another build of the binary (another mtime) is not trusted.
  await writeFile(
    file,
    JSON.stringify({ ...saved, binary: { ...saved.binary, mtimeMs: 1 }, filters: ['planted'] }),
  )
  vi.resetModules()
  const again =
    (await import('../src/internal/capabilities.ts')) as typeof import('../src/internal/capabilities.ts')
  const asked = await again.ffmpegCapabilities(saved.binary.path, cacheDir)
  expect(asked.filters.has('planted')).toBe(false)
  expect(asked.filters.has('overlay')).toBe(true)
  expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ binary: saved.binary })
})
