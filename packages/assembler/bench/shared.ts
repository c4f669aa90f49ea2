/** What the assembler's benchmarks share: 720p test clips generated once, timing, medians, the bare-concat baseline. */
import { mkdir, rename, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runFfmpeg } from '../src/index.ts'
import { concatListLine } from '../src/internal/escape.ts'

export const root = join(tmpdir(), 'storyreel-bench-join-v1')

/** `count` clips of 5 s, 1280x720, 24 fps, H.264 (lavfi testsrc2, a hue each), generated once and reused. */
export async function generateClips(count: number): Promise<string[]> {
  const dir = join(root, 'clips')
  await mkdir(dir, { recursive: true })
  const files: string[] = []
  for (let i = 0; i < count; i++) {
    const file = join(dir, `clip-${String(i).padStart(2, '0')}.mp4`)
    if (!(await stat(file).catch(() => undefined))) {
      const tmp = `${file}.tmp.mp4`
      await runFfmpeg([
        '-y',
        '-f',
        'lavfi',
        '-i',
        `testsrc2=s=1280x720:r=24,hue=h=${i * 18},trim=end_frame=120`,
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-pix_fmt',
        'yuv420p',
        tmp,
      ])
      await rename(tmp, file)
    }
    files.push(file)
  }
  return files
}

/** The baseline: `ffmpeg -f concat -safe 0 -i list -c copy` of `clips`. */
export async function bareConcat(clips: readonly string[], out: string): Promise<void> {
  const list = `${out}.txt`
  await writeFile(list, `${clips.map(concatListLine).join('\n')}\n`)
  await runFfmpeg(['-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', out])
}

export async function time(fn: () => Promise<unknown>): Promise<number> {
  const began = performance.now()
  await fn()
  return performance.now() - began
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** A markdown table row: name, median in seconds, ratio to `base` (ms), every run. */
export function row(name: string, values: readonly number[], base: number): string {
  return `| ${name} | ${(median(values) / 1000).toFixed(3)} s | ${(median(values) / base).toFixed(2)}x | ${values.map((v) => (v / 1000).toFixed(2)).join(', ')} |`
}
