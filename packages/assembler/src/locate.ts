import { accessSync, constants } from 'node:fs'
import { createRequire } from 'node:module'
import { delimiter, join } from 'node:path'
import { AssemblerError } from './errors.ts'
import { runTool } from './internal/runner.ts'

/** Where a binary was found: an environment variable, the system PATH, or the build shipped on npm. */
export type FfmpegSource = 'env' | 'path' | 'npm'

export interface FfmpegInstallation {
  readonly ffmpeg: string
  readonly ffprobe: string
  readonly ffmpegSource: FfmpegSource
  readonly ffprobeSource: FfmpegSource
  /** The version string ffmpeg reports, e.g. `5.1.9-0+deb12u1` or `N-47683-g0e8eb07980-static`. */
  readonly version: string
  /** Names of the filters this ffmpeg was built with. */
  readonly filters: ReadonlySet<string>
  /** Names of the encoders this ffmpeg was built with. */
  readonly encoders: ReadonlySet<string>
}

const installations = new Map<string, Promise<FfmpegInstallation>>()

/**
 * Finds ffmpeg and ffprobe: `FFMPEG_PATH`/`FFPROBE_PATH`, else the ones on `PATH`,
 * else the static builds of `@ffmpeg-installer/ffmpeg` and `@ffprobe-installer/ffprobe`.
 * Version, filters and encoders are detected once per distinct environment and cached.
 *
 * @example
 * const { ffmpeg, version, filters } = await locateFfmpeg()
 * if (!filters.has('xfade')) console.warn(`${ffmpeg} ${version} cannot crossfade`)
 */
export function locateFfmpeg(): Promise<FfmpegInstallation> {
  const key = [process.env.FFMPEG_PATH, process.env.FFPROBE_PATH, process.env.PATH].join('\0')
  let found = installations.get(key)
  if (!found) {
    found = detect()
    installations.set(key, found)
    found.catch(() => installations.delete(key))
  }
  return found
}

async function detect(): Promise<FfmpegInstallation> {
  const ffmpeg = findBinary('ffmpeg', process.env.FFMPEG_PATH, '@ffmpeg-installer/ffmpeg')
  const ffprobe = findBinary('ffprobe', process.env.FFPROBE_PATH, '@ffprobe-installer/ffprobe')
  const [versionOut, filtersOut, encodersOut] = await Promise.all(
    [['-version'], ['-filters'], ['-encoders']].map((args) => runTool(ffmpeg.path, ['-hide_banner', ...args], { captureStdout: true })),
  )
  return {
    ffmpeg: ffmpeg.path,
    ffprobe: ffprobe.path,
    ffmpegSource: ffmpeg.source,
    ffprobeSource: ffprobe.source,
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

function findBinary(name: 'ffmpeg' | 'ffprobe', fromEnv: string | undefined, npmPackage: string): { path: string; source: FfmpegSource } {
  if (fromEnv) {
    if (!isExecutable(fromEnv))
      throw new AssemblerError('FFMPEG_NOT_FOUND', `${name.toUpperCase()}_PATH is set to ${fromEnv}, which is not an executable file. Fix or unset it.`, { file: fromEnv })
    return { path: fromEnv, source: 'env' }
  }
  const exe = process.platform === 'win32' ? `${name}.exe` : name
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, exe))) return { path: join(dir, exe), source: 'path' }
  }
  try {
    const shipped = (createRequire(import.meta.url)(npmPackage) as { path: string }).path
    if (isExecutable(shipped)) return { path: shipped, source: 'npm' }
  } catch {
    // The npm build is an optional fallback (it has no binary for some platforms); the error below says what to do.
  }
  throw new AssemblerError(
    'FFMPEG_NOT_FOUND',
    `No ${name} found on PATH or in ${npmPackage}. Install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg) or set ${name.toUpperCase()}_PATH.`,
  )
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

export interface RequiredFeatures {
  readonly filters?: readonly string[]
  readonly encoders?: readonly string[]
}

/**
 * Throws FFMPEG_MISSING_FILTER naming every filter/encoder `feature` needs that
 * `installation` lacks, with how to get a newer ffmpeg, instead of letting ffmpeg fail obscurely.
 */
export function requireFeatures(installation: FfmpegInstallation, feature: string, needs: RequiredFeatures): void {
  const missing = [
    ...(needs.filters ?? []).filter((f) => !installation.filters.has(f)),
    ...(needs.encoders ?? []).filter((e) => !installation.encoders.has(e)),
  ]
  if (missing.length === 0) return
  throw new AssemblerError(
    'FFMPEG_MISSING_FILTER',
    `${feature} needs ${missing.join(', ')}, which the ffmpeg at ${installation.ffmpeg} (version ${installation.version}, from ${installation.ffmpegSource}) lacks. ` +
      'Install a newer ffmpeg (5.1 or later; Debian/Ubuntu: apt-get install ffmpeg, macOS: brew install ffmpeg) or point FFMPEG_PATH and FFPROBE_PATH at one.',
    { missing },
  )
}
