import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { runTool } from './runner.ts'

const FONT_DIRS = [
  '/usr/share/fonts',
  '/usr/local/share/fonts',
  '/Library/Fonts',
  '/System/Library/Fonts',
  'C:\\Windows\\Fonts',
]
const PREFERRED = [
  /DejaVuSans-Bold\.ttf$/i,
  /DejaVuSans\.ttf$/i,
  /LiberationSans-(Bold|Regular)\.ttf$/i,
  /Arial\.ttf$/i,
]

let cached: Promise<string | undefined> | undefined

/**
 * A font file for drawtext, passed as `fontfile` so text works even when ffmpeg
 * lacks fontconfig: fc-match's sans font, else DejaVu/Liberation/Arial from the
 * usual folders, else any .ttf/.otf there. Undefined when the machine has none.
 */
export function findFont(): Promise<string | undefined> {
  cached ??= fromFontconfig().then((file) => file ?? fromFontDirs())
  return cached
}

async function fromFontconfig(): Promise<string | undefined> {
  try {
    const { stdout } = await runTool('fc-match', ['-f', '%{file}', 'sans-serif:bold'], {
      captureStdout: true,
    })
    return /\.(ttf|otf|ttc)$/i.test(stdout.trim()) ? stdout.trim() : undefined
  } catch {
    return undefined // no fontconfig tools: look in the usual folders instead
  }
}

async function fromFontDirs(): Promise<string | undefined> {
  const files: string[] = []
  for (const dir of FONT_DIRS) files.push(...(await listFonts(dir, 3)))
  for (const pattern of PREFERRED) {
    const match = files.find((f) => pattern.test(f))
    if (match) return match
  }
  return files[0]
}

async function listFonts(dir: string, depth: number): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  const found: string[] = []
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory() && depth > 0) found.push(...(await listFonts(path, depth - 1)))
    else if (/\.(ttf|otf)$/i.test(entry.name)) found.push(path)
  }
  return found
}
