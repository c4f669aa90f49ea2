import { join, resolve } from 'node:path'
import { defaultCacheDir } from '../render/cache-dir.ts'
import { CliFailure } from '../render/failure.ts'
import { configDir, type ConfigFile, type ConfigValues, findConfig, type PollName } from './config-file.ts'

/** A value and where it came from: a flag (`--concurrency`), a variable (`STORYREEL_CONCURRENCY`), the config file's path, or `default`. */
interface Setting<T> {
  readonly value: T
  readonly source: string
}

export interface Settings {
  /** Undefined: the provider's default (4 on WaveSpeed, 2 for animatics). */
  readonly concurrency: Setting<number | undefined>
  readonly maxCost: Setting<number | undefined>
  /** Undefined: WaveSpeed when WAVESPEED_API_KEY is set, else the animatic. */
  readonly provider: Setting<string | undefined>
  /** The folder run directories go in, absolute: `<outDir>/<storyboard name>/`. */
  readonly outDir: Setting<string>
  /** The clip cache, absolute. */
  readonly cacheDir: Setting<string>
  readonly poll: Setting<PollName>
  /** The config file that was found, if any. */
  readonly config: ConfigFile | undefined
}

export interface SettingFlags {
  readonly concurrency?: number | undefined
  readonly maxCost?: number | undefined
  readonly provider?: string | undefined
}

/** The environment variable of each setting. */
const SETTING_ENV = {
  concurrency: 'STORYREEL_CONCURRENCY',
  maxCost: 'STORYREEL_MAX_COST',
  provider: 'STORYREEL_PROVIDER',
  outDir: 'STORYREEL_OUT_DIR',
  cacheDir: 'STORYREEL_CACHE_DIR',
  poll: 'STORYREEL_POLL',
} as const satisfies Record<keyof ConfigValues, string>

type Env = Readonly<Record<string, string | undefined>>

/**
 * Every setting with its source. Precedence: flags > environment > the nearest
 * `storyreel.config.yaml` from `startDir` upwards > defaults. Relative paths resolve
 * against the current directory (flags, environment) or the config file's folder.
 */
export async function resolveSettings(options: {
  readonly flags?: SettingFlags
  readonly env: Env
  readonly cwd: string
  readonly startDir: string
}): Promise<Settings> {
  const { env, cwd } = options
  const flags = options.flags ?? {}
  const config = await findConfig(options.startDir)
  const fromConfig = config?.values ?? {}
  const configSource = config?.file ?? ''

  function pick<K extends keyof ConfigValues, T>(
    key: K,
    flag: T | undefined,
    parseEnv: (raw: string) => T,
    fallback: Setting<T>,
    configValue?: (value: NonNullable<ConfigValues[K]>) => T,
  ): Setting<T> {
    if (flag !== undefined) return { value: flag, source: `--${key === 'maxCost' ? 'max-cost' : key}` }
    const raw = env[SETTING_ENV[key]]?.trim()
    if (raw) return { value: parseEnv(raw), source: SETTING_ENV[key] }
    const value = fromConfig[key]
    if (value !== undefined)
      return {
        value: configValue ? configValue(value as NonNullable<ConfigValues[K]>) : (value as T),
        source: configSource,
      }
    return fallback
  }
  const inConfig = (path: string) => resolve(config ? configDir(config) : cwd, path)

  return {
    concurrency: pick(
      'concurrency',
      flags.concurrency,
      (raw) =>
        envNumber('concurrency', raw, (n) => Number.isInteger(n) && n >= 1, 'a whole number of at least 1'),
      { value: undefined, source: 'default' },
    ),
    maxCost: pick(
      'maxCost',
      flags.maxCost,
      (raw) => envNumber('maxCost', raw, (n) => n >= 0, 'an amount in USD such as 10 or 2.5'),
      { value: undefined, source: 'default' },
    ),
    provider: pick(
      'provider',
      flags.provider,
      (raw) => envChoice('provider', raw, ['wavespeed', 'animatic']),
      { value: undefined, source: 'default' },
    ),
    outDir: pick(
      'outDir',
      undefined,
      (raw) => resolve(cwd, raw),
      { value: join(cwd, 'renders'), source: 'default' },
      inConfig,
    ),
    cacheDir: pick('cacheDir', undefined, (raw) => resolve(cwd, raw), defaultCacheDir(env), inConfig),
    poll: pick('poll', undefined, (raw) => envChoice('poll', raw, ['economical', 'bounded']), {
      value: 'economical',
      source: 'default',
    }),
    config,
  }
}

function envNumber(
  key: keyof ConfigValues,
  raw: string,
  ok: (n: number) => boolean,
  expected: string,
): number {
  const n = Number(raw)
  if (!Number.isFinite(n) || !ok(n))
    throw new CliFailure(`${SETTING_ENV[key]} must be ${expected}, not "${raw}".`)
  return n
}

function envChoice<T extends string>(key: keyof ConfigValues, raw: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(raw))
    throw new CliFailure(`${SETTING_ENV[key]} must be ${choices.join(' or ')}, not "${raw}".`)
  return raw as T
}
