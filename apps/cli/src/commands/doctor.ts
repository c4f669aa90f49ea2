import { dirname, resolve } from 'node:path'
import { locateFfmpeg, missingFeatures } from '@storyreel/assembler'
import { clientFromEnv, INSECURE_BASE_URL_ENV, isLoopbackHost } from '@storyreel/wavespeed'
import type { CliIo } from '../cli-io.ts'
import { type Command, EXIT, UsageError } from '../command.ts'
import { escapeControl } from '../output/escape.ts'
import { describeGaps } from '../output/ffmpeg-gaps.ts'
import { JSON_VERSION } from '../output/json-version.ts'
import { printSettings, settingLines } from '../output/settings-view.ts'
import { createStyle } from '../output/style.ts'
import { formatUsd } from '../output/units.ts'
import { describeFailure, withFailureMessages } from '../render/failure.ts'
import { resolveSettings } from '../settings/settings.ts'

const MIN_NODE = [20, 19] as const

interface Check {
  readonly name: string
  readonly ok: boolean
  readonly detail: string
}

/** Checks what a render needs: Node, ffmpeg and ffprobe with their filters, the key's presence and, with `online`, the API. */
async function runDoctor(
  options: { readonly online: boolean; readonly json: boolean; readonly file?: string | undefined },
  io: CliIo,
): Promise<number> {
  // The config file a render of FILE (or of a storyboard here) would find.
  const startDir = options.file ? dirname(resolve(io.cwd, options.file)) : io.cwd
  const settings = await resolveSettings({ env: io.env, cwd: io.cwd, startDir })
  const key = checkKey(io.env)
  const checks: Check[] = [checkNode(), ...(await checkFfmpeg(settings.cacheDir.value)), key]
  if (options.online)
    checks.push(
      key.ok
        ? await checkApi(io.env)
        : { name: 'api', ok: false, detail: 'not asked: fix the api key line first.' },
    )
  if (options.json) {
    const config = settings.config?.file ?? null
    io.stdout.write(
      `${JSON.stringify({ version: JSON_VERSION, ok: checks.every((c) => c.ok), checks, config, settings: settingLines(settings, io.cwd) })}\n`,
    )
  } else {
    const colors = createStyle(io)
    for (const c of checks)
      io.stdout.write(
        `${c.ok ? colors.green('ok  ') : colors.red('FAIL')} ${c.name.padEnd(9)} ${escapeControl(c.detail)}\n`,
      )
    printSettings(settings, io)
  }
  return checks.every((c) => c.ok) ? EXIT.ok : EXIT.failure
}

function checkNode(): Check {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1])
  return {
    name: 'node',
    ok,
    detail: ok
      ? `v${process.versions.node}`
      : `v${process.versions.node}: storyreel needs Node ${MIN_NODE.join('.')} or later; install a current Node 20 or 22.`,
  }
}

async function checkFfmpeg(cacheDir: string): Promise<Check[]> {
  try {
    // What the binary can do is cached per binary (path, size, mtime), as renders cache it.
    const found = await locateFfmpeg({ cacheDir })
    // The assembler owns what each feature needs; doctor only reports it.
    const gaps = describeGaps(missingFeatures(found))
    return [
      {
        name: 'ffmpeg',
        ok: true,
        detail: `${found.ffmpeg} (version ${found.version}, from ${found.ffmpegSource})`,
      },
      { name: 'ffprobe', ok: true, detail: `${found.ffprobe} (from ${found.ffprobeSource})` },
      {
        name: 'filters',
        ok: gaps.length === 0,
        detail:
          gaps.length === 0
            ? 'everything the reel, transitions, soundtrack, animatic and contact sheet need'
            : `${gaps.join('; ')}. Install ffmpeg 5.1 or later (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg) or point FFMPEG_PATH and FFPROBE_PATH at one.`,
      },
    ]
  } catch (error) {
    return [{ name: 'ffmpeg', ok: false, detail: describeFailure(error).message }]
  }
}

/** The key's presence and the client configuration a render would use (base URL, key format), without connecting. */
function checkKey(env: CliIo['env']): Check {
  if (!env.WAVESPEED_API_KEY?.trim())
    return {
      name: 'api key',
      ok: true,
      detail: 'WAVESPEED_API_KEY is not set: render makes offline animatics; set it to render with Kling.',
    }
  try {
    // Building the client checks what a render would refuse before sending anything: a plain-http base URL, a key with a line break.
    const { baseUrl } = clientFromEnv(env)
    const where = env.WAVESPEED_BASE_URL?.trim() ? ` for ${baseUrl}` : ''
    const url = new URL(baseUrl)
    const insecure =
      url.protocol === 'http:' && !isLoopbackHost(url.hostname)
        ? `; plain http: the key crosses the network unencrypted, allowed by ${INSECURE_BASE_URL_ENV}`
        : ''
    // Presence only: the key itself is never shown, not even a prefix.
    return { name: 'api key', ok: true, detail: `WAVESPEED_API_KEY is set${where}${insecure}` }
  } catch (error) {
    return { name: 'api key', ok: false, detail: describeFailure(error).message }
  }
}

async function checkApi(env: CliIo['env']): Promise<Check> {
  if (!env.WAVESPEED_API_KEY?.trim())
    return { name: 'api', ok: false, detail: 'cannot check the API without WAVESPEED_API_KEY.' }
  try {
    const client = clientFromEnv(env, { retry: { retries: 1 }, requestTimeoutMs: 10_000 })
    const balance = await client.balance({ signal: AbortSignal.timeout(20_000) })
    return { name: 'api', ok: true, detail: `${client.baseUrl} answered; balance ${formatUsd(balance)}` }
  } catch (error) {
    return { name: 'api', ok: false, detail: describeFailure(error).message }
  }
}

export const doctorCommand: Command = {
  name: 'doctor',
  usage: 'storyreel doctor [FILE] [--online] [--json]',
  description: [
    `Checks Node (${MIN_NODE.join('.')} or later), where ffmpeg and ffprobe are and their version, the filters and`,
    `encoders each assembler feature needs, and whether WAVESPEED_API_KEY is set (never showing it) and usable with`,
    'WAVESPEED_BASE_URL (https, or plain http only for this machine or with STORYREEL_INSECURE_BASE_URL=1).',
    'With --online it also asks the API (WAVESPEED_BASE_URL or https://api.wavespeed.ai) for the balance.',
    'Then it prints the settings a render would use (concurrency, maxCost, provider, outDir, cacheDir, poll)',
    "and where each came from: a flag, a STORYREEL_* variable, storyreel.config.yaml (found from FILE's",
    'folder, or the current one, upwards) or the default.',
    'Exit code: 0 all good, 1 something is missing.',
  ].join('\n'),
  options: {
    online: { type: 'boolean', description: 'Also check that the API answers and show the balance' },
    json: { type: 'boolean', description: 'Print the checks as JSON' },
  },
  examples: [
    'storyreel doctor',
    'storyreel doctor --online',
    'storyreel doctor storyboards/storm-at-sea.yaml --json',
  ],
  run({ values, positionals }, io) {
    if (positionals.length > 1) throw new UsageError('doctor takes at most one storyboard file', 'doctor')
    return withFailureMessages(io, () =>
      runDoctor({ online: values.online === true, json: values.json === true, file: positionals[0] }, io),
    )
  },
}
