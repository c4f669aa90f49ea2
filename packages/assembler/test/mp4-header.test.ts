import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { probeMedia, runFfmpeg } from '../src/index.ts'
import { readMp4Fingerprint } from '../src/internal/mp4-fingerprint.ts'
import { tempDir } from './helpers.ts'

const variants: Record<string, string[]> = {
  plain: ['-f', 'lavfi', '-i', 'testsrc2=s=160x90:r=24:d=0.5', '-pix_fmt', 'yuv420p'],
  ntsc: ['-f', 'lavfi', '-i', 'testsrc2=s=176x144:r=30000/1001:d=0.5', '-pix_fmt', 'yuv420p'],
  yuv444: ['-f', 'lavfi', '-i', 'testsrc2=s=160x90:r=25:d=0.5', '-pix_fmt', 'yuv444p'],
  fullRange: ['-f', 'lavfi', '-i', 'testsrc2=s=160x90:r=24:d=0.5', '-pix_fmt', 'yuvj420p'],
  anamorphic: [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=s=160x90:r=24:d=0.5',
    '-vf',
    'setsar=4/3',
    '-pix_fmt',
    'yuv420p',
  ],
  scalingMatrix: [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=s=160x90:r=24:d=0.5',
    '-pix_fmt',
    'yuv420p',
    '-x264-params',
    'cqm=jvt',
  ],
}

/** Phones record upright video as landscape frames plus a 90° matrix in tkhd; ffmpeg 5.1 cannot write one, so patch it in. */
async function rotate(file: string): Promise<void> {
  const bytes = await readFile(file)
  const tkhd = bytes.indexOf('tkhd', 0, 'latin1')
  const matrix = tkhd + 4 + (bytes[tkhd + 4] === 1 ? 52 : 40)
  for (const [i, v] of [0, 0x10000, 0, -0x10000, 0].entries()) bytes.writeInt32BE(v, matrix + i * 4)
  await writeFile(file, bytes)
}

test.each([...Object.keys(variants), 'rotated'])(
  'the MP4 header reader agrees with ffprobe: %s',
  async (name) => {
    const dir = await tempDir()
    const file = join(dir, `${name}.mp4`)
    await runFfmpeg([
      '-y',
      ...(variants[name] ?? variants.plain!),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      file,
    ])
    if (name === 'rotated') await rotate(file)
    const header = await readMp4Fingerprint(file)
    const probed = (await probeMedia(file)).video!
    expect(header?.videoFrames).toBe(probed.frames)
    const pixFmt = ['yuv420p', 'yuvj420p'].includes(probed.pixFmt) ? probed.pixFmt : 'other'
    expect(header?.video).toMatchObject({
      width: probed.width,
      height: probed.height,
      displayWidth: probed.displayWidth,
      displayHeight: probed.displayHeight,
      sar: probed.sar,
      pixFmt,
    })
    expect(header!.video!.rotation !== 0).toBe(probed.rotation !== 0)
    if (name === 'rotated') expect(probed.displayWidth).toBe(90)
    expect(header!.video!.fps).toBeCloseTo(probed.fps, 6)
  },
)

test('files that are not MP4 have no header fingerprint', async () => {
  const dir = await tempDir()
  const file = join(dir, 'x.mkv')
  await runFfmpeg([
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=s=64x36:d=0.2',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    file,
  ])
  expect(await readMp4Fingerprint(file)).toBeUndefined()
})
