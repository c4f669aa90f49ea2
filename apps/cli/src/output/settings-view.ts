import type { CliIo } from '../cli-io.ts'
import { shortPath } from '../render/run-location.ts'
import type { Settings } from '../settings/settings.ts'

export interface SettingLine {
  readonly name: string
  readonly value: string | number | null
  readonly source: string
}

const DEFAULT_TEXT: Partial<Record<keyof Settings, string>> = {
  concurrency: '4 on WaveSpeed, 2 for animatics',
  maxCost: 'none',
  provider: 'wavespeed with WAVESPEED_API_KEY, else animatic',
}

/** Each effective setting with where it came from, paths relative to `cwd` when inside it. */
export function settingLines(settings: Settings, cwd: string): SettingLine[] {
  const names = ['concurrency', 'maxCost', 'provider', 'outDir', 'cacheDir', 'poll'] as const
  return names.map((name) => {
    const { value, source } = settings[name]
    const path = name === 'outDir' || name === 'cacheDir'
    return {
      name,
      value: value === undefined ? null : path ? shortPath(cwd, value as string) : value,
      source: source === settings.config?.file ? shortPath(cwd, source) : source,
    }
  })
}

/** The settings block of `storyreel doctor`. */
export function printSettings(settings: Settings, io: CliIo): void {
  const lines = settingLines(settings, io.cwd)
  const config = settings.config ? shortPath(io.cwd, settings.config.file) : 'none found'
  io.stdout.write(`\nsettings (flags > environment > config file > defaults; config file: ${config})\n`)
  const values = lines.map((line) =>
    line.value === null ? (DEFAULT_TEXT[line.name as keyof Settings] ?? '') : String(line.value),
  )
  const nameWidth = Math.max(...lines.map((line) => line.name.length))
  const valueWidth = Math.max(...values.map((value) => value.length))
  lines.forEach((line, i) =>
    io.stdout.write(`  ${line.name.padEnd(nameWidth)}  ${values[i]!.padEnd(valueWidth)}  ${line.source}\n`),
  )
}
