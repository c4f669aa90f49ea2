import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { PollPlan, PollPolicy } from './polling.ts'
import { renderTimePlan } from './render-time-plan.ts'

interface Entry {
  /** Render times in ms, oldest first. */
  readonly samples: readonly number[]
  /** Epoch ms of the last sample, to drop the longest-unused models first. */
  readonly updatedAt: number
}

interface RenderTimesFile {
  readonly version: 1
  readonly models: Record<string, Entry>
}

export interface RenderTimeModelOptions {
  /** JSON file to persist to (e.g. `<cacheDir>/render-times.json`); omitted keeps the samples in memory. */
  readonly file?: string
  /** Samples kept per key, newest. Default 50. */
  readonly maxSamples?: number
  /** Keys kept, most recently updated. Default 200. */
  readonly maxKeys?: number
  readonly now?: () => number
}

/** How long renders of each model took, learned from finished predictions and used to time polls. */
export interface RenderTimeModel {
  /** A poll plan for one prediction of `key` (say, model id and duration); its render time is recorded when it completes. */
  plan(key: string, fallback?: PollPolicy): Promise<PollPlan>
  /** The render times known for `key`, oldest first. */
  samples(key: string): Promise<readonly number[]>
  /** Adds a render time; persisted (atomically, merged with what other processes wrote meanwhile). */
  record(key: string, ms: number): Promise<void>
  /** Resolves once every recorded sample is written. */
  flush(): Promise<void>
}

/** A file larger than this is not ours to read (the bounded content is a few dozen KB). */
const MAX_FILE_BYTES = 1024 * 1024

async function readEntries(file: string | undefined): Promise<Record<string, Entry>> {
  if (!file) return {}
  try {
    if ((await stat(file)).size > MAX_FILE_BYTES) return {}
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<RenderTimesFile>
    if (parsed.version !== 1 || typeof parsed.models !== 'object' || parsed.models === null) return {}
    const valid = Object.entries(parsed.models).filter(
      ([, e]) =>
        Array.isArray(e?.samples) &&
        e.samples.every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0) &&
        typeof e.updatedAt === 'number',
    )
    return Object.fromEntries(valid)
  } catch {
    // Missing or corrupt: it only costs polls until renders are seen again.
    return {}
  }
}

/**
 * Creates the render-time model. Samples are kept per key, bounded (`maxSamples` per key, `maxKeys`
 * keys), and written with a rename so a concurrent run never reads half a file; each write re-reads
 * the file first, so runs sharing a cache directory add to each other's samples.
 *
 * @example
 *   const renderTimes = createRenderTimeModel({ file: join(cacheDir, 'render-times.json') })
 *   const provider = createWavespeedProvider(client, { renderTimes })
 */
export function createRenderTimeModel(options: RenderTimeModelOptions = {}): RenderTimeModel {
  const maxSamples = options.maxSamples ?? 50
  const maxKeys = options.maxKeys ?? 200
  const now = options.now ?? Date.now
  let entries: Promise<Record<string, Entry>> | undefined
  let unwritten: [string, number][] = []
  let writes = Promise.resolve()

  const load = (): Promise<Record<string, Entry>> => (entries ??= readEntries(options.file))

  function merge(
    into: Record<string, Entry>,
    added: readonly [string, number][],
    at: number,
  ): Record<string, Entry> {
    const merged = { ...into }
    for (const [key, ms] of added)
      merged[key] = { samples: [...(merged[key]?.samples ?? []), ms].slice(-maxSamples), updatedAt: at }
    const newest = Object.entries(merged).sort(([, a], [, b]) => b.updatedAt - a.updatedAt)
    return Object.fromEntries(newest.slice(0, maxKeys))
  }

  function persist(): Promise<void> {
    const file = options.file
    if (!file) return Promise.resolve()
    writes = writes
      .catch(() => undefined)
      .then(async () => {
        if (unwritten.length === 0) return
        const added = unwritten
        unwritten = []
        const merged = merge(await readEntries(file), added, now())
        const tmp = `${file}.${randomUUID().slice(0, 8)}.tmp`
        await mkdir(dirname(file), { recursive: true })
        await writeFile(tmp, `${JSON.stringify({ version: 1, models: merged } satisfies RenderTimesFile)}\n`)
        await rename(tmp, file)
        entries = Promise.resolve(merge(merged, unwritten, now()))
      })
    return writes
  }

  const model: RenderTimeModel = {
    async samples(key) {
      return (await load())[key]?.samples ?? []
    },
    record(key, ms) {
      entries = load().then((current) => merge(current, [[key, ms]], now()))
      unwritten.push([key, ms])
      return persist()
    },
    async plan(key, fallback) {
      const samples = await model.samples(key)
      // Recording is best effort: a cache directory that cannot be written only costs polls later.
      return renderTimePlan({
        samples,
        fallback,
        onRenderTime: (ms) => void model.record(key, ms).catch(() => undefined),
      })
    },
    flush: () => writes.catch(() => undefined),
  }
  return model
}
