/**
 * What an ffmpeg binary can do (version, filters, encoders), asked once per
 * binary: each listing is a process start (about 0.3 s apiece on a loaded
 * 2-core machine), so the answer is kept in memory and, when the caller names a
 * cache directory, on disk under the binary's path, size and mtime.
 */
import { createHash } from 'node:crypto'
import { statSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { runTool } from './runner.ts'
import { writeAtomically } from './temp-file.ts'

export interface FfmpegCapabilities {
  readonly version: string
  readonly filters: ReadonlySet<string>
  readonly encoders: ReadonlySet<string>
}

interface CapabilitiesFile {
  readonly binary: { readonly path: string; readonly size: number; readonly mtimeMs: number }
  readonly version: string
  readonly filters: readonly string[]
  readonly encoders: readonly string[]
}

const inMemory = new Map<string, Promise<FfmpegCapabilities>>()
const onDisk = new Set<string>()

/** The identity a binary's capabilities are cached under: its path, size and mtime. */
export function binaryIdentity(path: string): string {
  const { size, mtimeMs } = statSync(path)
  return JSON.stringify({ path, size, mtimeMs })
}

/** The capabilities of the ffmpeg at `path`, from memory, then `cacheDir`, then by asking it (three listings at once). */
export async function ffmpegCapabilities(path: string, cacheDir?: string): Promise<FfmpegCapabilities> {
  const identity = binaryIdentity(path)
  const file =
    cacheDir &&
    join(cacheDir, `ffmpeg-caps-${createHash('sha256').update(identity).digest('hex').slice(0, 16)}.json`)
  let caps = inMemory.get(identity)
  if (!caps) {
    caps = (file ? readCapabilities(file, identity) : Promise.resolve(undefined)).then(
      async (cached) => cached ?? (await askFfmpeg(path)),
    )
    inMemory.set(identity, caps)
    caps.catch(() => inMemory.delete(identity))
  }
  const found = await caps
  if (file && !onDisk.has(file)) {
    onDisk.add(file)
    await saveCapabilities(file, identity, found)
  }
  return found
}

async function askFfmpeg(path: string): Promise<FfmpegCapabilities> {
  const [versionOut, filtersOut, encodersOut] = await Promise.all(
    [['-version'], ['-filters'], ['-encoders']].map((args) =>
      runTool(path, ['-hide_banner', ...args], { captureStdout: true }),
    ),
  )
  return {
    version: /ffmpeg version (\S+)/.exec(versionOut!.stdout)?.[1] ?? 'unknown',
    filters: parseNames(filtersOut!.stdout, /^ [A-Z.|]{3} +(\w+) /),
    encoders: parseNames(encodersOut!.stdout, /^ [A-Z.]{6} +(\w+) /),
  }
}

function parseNames(listing: string, pattern: RegExp): Set<string> {
  const names = new Set<string>()
  for (const line of listing.split('\n')) {
    const name = pattern.exec(line)?.[1]
    if (name) names.add(name)
  }
  return names
}

async function readCapabilities(file: string, identity: string): Promise<FfmpegCapabilities | undefined> {
  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as CapabilitiesFile
    if (JSON.stringify(saved.binary) !== identity || typeof saved.version !== 'string') return undefined
    onDisk.add(file)
    return { version: saved.version, filters: new Set(saved.filters), encoders: new Set(saved.encoders) }
  } catch {
    return undefined // missing or unreadable: ask ffmpeg again
  }
}

/** Best effort: a cache that cannot be written only costs the next process the listings. */
async function saveCapabilities(file: string, identity: string, caps: FfmpegCapabilities): Promise<void> {
  const content: CapabilitiesFile = {
    binary: JSON.parse(identity) as CapabilitiesFile['binary'],
    version: caps.version,
    filters: [...caps.filters].sort(),
    encoders: [...caps.encoders].sort(),
  }
  try {
    await mkdir(dirname(file), { recursive: true })
    await writeAtomically(file, (temp) => writeFile(temp, `${JSON.stringify(content, null, 1)}\n`))
  } catch {
    onDisk.delete(file)
  }
}
