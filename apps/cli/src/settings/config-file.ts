import { dirname } from 'node:path'
import { closestMatch } from '@storyreel/core'
import { lilconfig } from 'lilconfig'
import { parse } from 'yaml'
import { CliFailure } from '../render/failure.ts'

const CONFIG_FILES = ['storyreel.config.yaml', 'storyreel.config.yml', 'storyreel.config.json'] as const

export type PollName = 'economical' | 'bounded'

/** What a config file may set; every key optional. Paths are relative to the file's folder. */
export interface ConfigValues {
  readonly concurrency?: number
  readonly maxCost?: number
  readonly provider?: 'wavespeed' | 'animatic'
  readonly outDir?: string
  readonly cacheDir?: string
  readonly poll?: PollName
}

export interface ConfigFile {
  readonly file: string
  readonly values: ConfigValues
}

type Check = (value: unknown) => string | undefined

const CHECKS: Record<keyof ConfigValues, Check> = {
  concurrency: (v) =>
    Number.isInteger(v) && (v as number) >= 1 ? undefined : 'a whole number of at least 1',
  maxCost: (v) =>
    typeof v === 'number' && Number.isFinite(v) && v >= 0 ? undefined : 'an amount in USD such as 10 or 2.5',
  provider: (v) => (v === 'wavespeed' || v === 'animatic' ? undefined : 'wavespeed or animatic'),
  outDir: (v) => (typeof v === 'string' && v.trim() !== '' ? undefined : 'a folder name'),
  cacheDir: (v) => (typeof v === 'string' && v.trim() !== '' ? undefined : 'a folder name'),
  poll: (v) => (v === 'economical' || v === 'bounded' ? undefined : 'economical or bounded'),
}

/**
 * The nearest `storyreel.config.yaml` (or `.yml`, `.json`) from `startDir` upwards, checked:
 * an unknown key or a wrong value is a failure naming the file, never silently ignored.
 */
export async function findConfig(startDir: string): Promise<ConfigFile | undefined> {
  const explorer = lilconfig('storyreel', {
    searchPlaces: [...CONFIG_FILES],
    loaders: {
      '.yaml': (_file, text) => parse(text),
      '.yml': (_file, text) => parse(text),
      '.json': (_file, text) => JSON.parse(text) as unknown,
    },
    cache: false,
  })
  let found
  try {
    found = await explorer.search(startDir)
  } catch (error) {
    throw new CliFailure(`Cannot read the storyreel config file: ${(error as Error).message}`, {
      cause: error,
    })
  }
  if (!found) return undefined
  return { file: found.filepath, values: checkConfig(found.filepath, found.config ?? {}) }
}

function checkConfig(file: string, data: unknown): ConfigValues {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new CliFailure(`${file}: expected a mapping of settings (${Object.keys(CHECKS).join(', ')}).`)
  const problems: string[] = []
  for (const [key, value] of Object.entries(data)) {
    const check = CHECKS[key as keyof ConfigValues] as Check | undefined
    if (!check) {
      const suggestion = closestMatch(key, Object.keys(CHECKS))
      problems.push(
        `unknown key "${key}" (${suggestion ? `did you mean ${suggestion}? ` : ''}known: ${Object.keys(CHECKS).join(', ')})`,
      )
    } else {
      const expected = check(value)
      if (expected) problems.push(`${key} must be ${expected}, not ${JSON.stringify(value)}`)
    }
  }
  if (problems.length > 0) throw new CliFailure(`${file}: ${problems.join('; ')}.`)
  return data as ConfigValues
}

/** The folder relative paths in `config` are resolved against. */
export function configDir(config: ConfigFile): string {
  return dirname(config.file)
}
