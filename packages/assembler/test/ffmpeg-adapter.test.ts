import { chmod, link, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { needs, SYSTEM_FFMPEG } from '@storyreel/test-utils'
import { describe, expect, test } from 'vitest'
import {
  AssemblerError,
  countFrames,
  extractLastFrame,
  findFfmpeg,
  locateFfmpeg,
  missingFeatures,
  probeMedia,
  runFfmpeg,
} from '../src/index.ts'
import { lumaSeries, makeClip, tempDir } from './helpers.ts'

describe('locateFfmpeg', () => {
  test('finds ffmpeg with its filters, once', async () => {
    const first = await locateFfmpeg()
    expect(first.filters.has('loudnorm')).toBe(true)
    expect(first.filters.has('nosuchfilter')).toBe(false)
    expect(first.encoders.has('libx264')).toBe(true)
    expect(first.version).not.toBe('unknown')
    expect(await locateFfmpeg()).toBe(first)
    expect(Object.values(missingFeatures(first)).flat()).toEqual([])
  })

  // Without one the npm build is used (npm-fallback.test.ts), which lacks xfade.
  const system = needs('ffmpeg on PATH', SYSTEM_FFMPEG, 'apt-get install ffmpeg')
  test.skipIf(system.skip)(system.title('prefers the ffmpeg on PATH, with xfade (5.1)'), async () => {
    expect(await locateFfmpeg()).toMatchObject({ ffmpeg: SYSTEM_FFMPEG, ffmpegSource: 'path' })
    expect((await locateFfmpeg()).filters.has('xfade')).toBe(true)
  })

  test('an FFMPEG_PATH that is not executable is a typed error', async () => {
    const saved = process.env.FFMPEG_PATH
    process.env.FFMPEG_PATH = '/nonexistent/ffmpeg'
    try {
      await expect(locateFfmpeg()).rejects.toMatchObject({ code: 'FFMPEG_NOT_FOUND' })
    } finally {
      if (saved === undefined) delete process.env.FFMPEG_PATH
      else process.env.FFMPEG_PATH = saved
    }
  })
})

describe('runFfmpeg', () => {
  test('a failing command throws FFMPEG_EXIT with the last stderr lines', async () => {
    const dir = await tempDir()
    const error = await runFfmpeg(['-y', '-f', 'lavfi', '-i', 'nosuchfilter=d=1', join(dir, 'x.mp4')]).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(AssemblerError)
    expect(error).toMatchObject({ code: 'FFMPEG_EXIT' })
    expect((error as AssemblerError).stderr).toMatch(/nosuchfilter/)
    expect((error as AssemblerError).message).toMatch(/nosuchfilter/)
  })

  test('aborting kills ffmpeg and rejects with the signal reason', async () => {
    const dir = await tempDir()
    const controller = new AbortController()
    const run = runFfmpeg(['-y', '-re', '-f', 'lavfi', '-i', 'testsrc=d=30', join(dir, 'x.mp4')], {
      signal: controller.signal,
    })
    setTimeout(() => controller.abort(new Error('stop')), 200)
    await expect(run).rejects.toThrow('stop')
  })

  test.skipIf(process.platform !== 'linux').each([
    ['low', 10],
    ['lowest', 19],
  ] as const)("priority '%s' runs ffmpeg below normal CPU priority (nice %i)", async (priority, expected) => {
    const dir = await tempDir()
    const out = join(dir, `${priority}-priority.mp4`)
    const controller = new AbortController()
    const niceOf = async (name: string): Promise<number | undefined> => {
      for (const pid of (await readdir('/proc')).filter((n) => /^\d+$/.test(n))) {
        const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
        if (!cmdline.split('\0').includes(name)) continue
        // Field 19 of /proc/PID/stat, counted after the parenthesised command name.
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined)
        return stat === undefined ? undefined : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])
      }
      return undefined
    }
    const run = runFfmpeg(['-y', '-re', '-f', 'lavfi', '-i', 'testsrc=d=30', out], {
      signal: controller.signal,
      priority,
    }).catch(() => undefined)
    let nice: number | undefined
    while ((nice = await niceOf(out)) === undefined) await new Promise((wake) => setTimeout(wake, 50))
    controller.abort(new Error('seen'))
    await run
    expect(nice).toBe(expected)
  })

  test('reports progress in output seconds', async () => {
    const dir = await tempDir()
    const seen: number[] = []
    await runFfmpeg(
      [
        '-y',
        '-f',
        'lavfi',
        '-i',
        'testsrc=s=160x90:d=2',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        join(dir, 'x.mp4'),
      ],
      {
        onProgress: (s) => seen.push(s),
      },
    )
    expect(seen.at(-1)).toBeCloseTo(2, 1)
  })
})

describe('probeMedia', () => {
  test('reads size, fps, frames and audio presence', async () => {
    const dir = await tempDir()
    const withAudio = await makeClip(join(dir, 'a.mp4'), {
      width: 176,
      height: 144,
      fps: 30,
      frames: 45,
      audioSeconds: 1.5,
    })
    const silent = await makeClip(join(dir, 'b.mp4'), { fps: 24, frames: 24 })
    const a = await probeMedia(withAudio)
    expect(a.video).toMatchObject({
      width: 176,
      height: 144,
      fps: 30,
      frames: 45,
      pixFmt: 'yuv420p',
      codec: 'h264',
    })
    expect(a.hasAudio).toBe(true)
    expect(a.audio?.sampleRate).toBe(44100)
    const b = await probeMedia(silent)
    expect(b.hasAudio).toBe(false)
    expect(b.video?.duration).toBeCloseTo(1, 6)
    expect(await countFrames(silent)).toBe(24)
  })

  test('a file already probed is not probed again, under another name too, until it changes', async () => {
    const dir = await tempDir()
    const log = join(dir, 'ffprobe.log')
    const wrapper = join(dir, 'ffprobe')
    await writeFile(wrapper, `#!/bin/sh\necho "$@" >> '${log}'\nexec '${findFfmpeg().ffprobe.path}' "$@"\n`)
    await chmod(wrapper, 0o755)
    const clip = await makeClip(join(dir, 'a.mp4'), { fps: 24, frames: 24 })
    const saved = process.env.FFPROBE_PATH
    process.env.FFPROBE_PATH = wrapper
    try {
      const calls = async (): Promise<number> =>
        (await readFile(log, 'utf8').catch(() => '')).split('\n').length - 1
      const first = await probeMedia(clip)
      await link(clip, join(dir, 'b.mp4'))
      const again = await probeMedia(join(dir, 'b.mp4'))
      expect(again).toEqual({ ...first, file: join(dir, 'b.mp4') })
      expect(await calls()).toBe(1)
      await makeClip(clip, { fps: 24, frames: 48 })
      expect((await probeMedia(clip)).video?.frames).toBe(48)
      expect(await calls()).toBe(2)
    } finally {
      if (saved === undefined) delete process.env.FFPROBE_PATH
      else process.env.FFPROBE_PATH = saved
    }
  })

  test('a missing file is ASM_BAD_INPUT, garbage is FFMPEG_EXIT', async () => {
    const dir = await tempDir()
    await expect(probeMedia(join(dir, 'none.mp4'))).rejects.toMatchObject({ code: 'ASM_BAD_INPUT' })
    const junk = join(dir, 'junk.mp4')
    await import('node:fs/promises').then((fs) => fs.writeFile(junk, 'not a video'))
    await expect(probeMedia(junk)).rejects.toMatchObject({ code: 'FFMPEG_EXIT' })
  })
})

describe('extractLastFrame', () => {
  async function expectLastFrame(clip: string, dir: string, frames: number): Promise<void> {
    const png = join(dir, 'last.png')
    await extractLastFrame(clip, png)
    expect((await stat(png)).size).toBeGreaterThan(0)
    expect((await readFile(png)).subarray(1, 4).toString()).toBe('PNG')
    const [luma] = await lumaSeries(png, dir)
    const series = await lumaSeries(clip, dir)
    expect(series).toHaveLength(frames)
    // Frames are 4 luma steps apart; the PNG must match the very last one, not a neighbour.
    expect(series[frames - 1]! - series[frames - 2]!).toBeGreaterThan(3)
    expect(Math.abs(luma! - series[frames - 1]!)).toBeLessThan(1.5)
  }

  test('returns the exact last frame', async () => {
    const dir = await tempDir()
    const clip = await makeClip(join(dir, 'idx.mp4'), {
      width: 64,
      height: 36,
      fps: 24,
      frames: 50,
      lumaStep: 4,
    })
    await expectLastFrame(clip, dir, 50)
  })

  test('is exact when the audio outlasts the video by seconds', async () => {
    const dir = await tempDir()
    const clip = await makeClip(join(dir, 'long-audio.mp4'), {
      width: 64,
      height: 36,
      fps: 24,
      frames: 30,
      lumaStep: 4,
      audioSeconds: 5,
    })
    const info = await probeMedia(clip)
    expect(info.duration).toBeGreaterThan(4.5)
    expect(info.video?.duration).toBeCloseTo(1.25, 3)
    await expectLastFrame(clip, dir, 30)
  })
})
