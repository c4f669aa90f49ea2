import { accessSync, constants } from 'node:fs'
import { createRequire } from 'node:module'
import { delimiter, join } from 'node:path'
import { AssemblerError } from './errors.ts'
import { binaryIdentity, ffmpegCapabilities } from './internal/capabilities.ts'

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

export interface LocateOptions {
  /**
   * Where to keep what `-version`, `-filters` and `-encoders` said, as
   * `ffmpeg-caps-<hash>.json` per binary (path, size, mtime), so a new process
   * does not ask again. Without it the answer is kept in memory only.
   */
  readonly cacheDir?: string | undefined
}

/** The two binaries, without asking them anything. */
export interface FfmpegBinaries {
  readonly ffmpeg: { readonly path: string; readonly source: FfmpegSource }
  readonly ffprobe: { readonly path: string; readonly source: FfmpegSource }
}

const binaries = new Map<string, FfmpegBinaries>()
const installations = new Map<string, Promise<FfmpegInstallation>>()

/**
 * Finds ffmpeg and ffprobe: `FFMPEG_PATH`/`FFPROBE_PATH`, else the ones on `PATH`,
 * else the static builds of `@ffmpeg-installer/ffmpeg` and `@ffprobe-installer/ffprobe` (optional
 * dependencies: installed where npm can, never required; a 2018 build that the system ffmpeg beats).
 * Version, filters and encoders are asked once per binary (path, size, mtime):
 * kept in memory, and in `cacheDir` when given.
 *
 * @example
 * const { ffmpeg, version, filters } = await locateFfmpeg({ cacheDir: '.cache/storyreel' })
 * if (!filters.has('loudnorm')) console.warn(`${ffmpeg} ${version} cannot normalize a soundtrack`)
 */
export function locateFfmpeg(options: LocateOptions = {}): Promise<FfmpegInstallation> {
  let found: FfmpegBinaries
  let key: string
  try {
    found = findFfmpeg()
    key = `${JSON.stringify(found)}\0${binaryIdentity(found.ffmpeg.path)}`
  } catch (error) {
    return Promise.reject(error)
  }
  // Asked even when the installation is known, so a cacheDir named now still gets the file.
  const caps = ffmpegCapabilities(found.ffmpeg.path, options.cacheDir)
  let installation = installations.get(key)
  if (!installation) {
    installation = caps.then((known) => ({
      ffmpeg: found.ffmpeg.path,
      ffprobe: found.ffprobe.path,
      ffmpegSource: found.ffmpeg.source,
      ffprobeSource: found.ffprobe.source,
      ...known,
    }))
    installations.set(key, installation)
    installation.catch(() => installations.delete(key))
  }
  const made = installation
  return caps.then(() => made)
}

/**
 * The ffmpeg and ffprobe `locateFfmpeg` would use, found by looking at files only
 * (no process is started), once per environment. Throws FFMPEG_NOT_FOUND.
 */
export function findFfmpeg(): FfmpegBinaries {
  const key = [process.env.FFMPEG_PATH, process.env.FFPROBE_PATH, process.env.PATH].join('\0')
  let found = binaries.get(key)
  if (!found) {
    found = {
      ffmpeg: findBinary('ffmpeg', process.env.FFMPEG_PATH, '@ffmpeg-installer/ffmpeg'),
      ffprobe: findBinary('ffprobe', process.env.FFPROBE_PATH, '@ffprobe-installer/ffprobe'),
    }
    binaries.set(key, found)
  }
  return found
}

function findBinary(
  name: 'ffmpeg' | 'ffprobe',
  fromEnv: string | undefined,
  npmPackage: string,
): { path: string; source: FfmpegSource } {
  if (fromEnv) {
    if (!isExecutable(fromEnv))
      throw new AssemblerError(
        'FFMPEG_NOT_FOUND',
        `${name.toUpperCase()}_PATH is set to ${fromEnv}, which is not an executable file. Fix or unset it.`,
        { file: fromEnv },
      )
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
export function requireFeatures(
  installation: FfmpegInstallation,
  feature: string,
  needs: RequiredFeatures,
): void {
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
