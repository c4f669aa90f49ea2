import { createHash } from 'node:crypto'
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, extname, isAbsolute } from 'node:path'
import type { ImageRef, Plan, PlannedShot } from '@storyreel/core'
import type { Redis } from 'ioredis'
import { keys } from './keys.ts'
import type { Store } from './store.ts'

/** How long a file's bytes wait in Redis for a worker to put them in the store (each submit renews it). */
const FILE_TTL_SECONDS = 30 * 86_400

/**
 * The submitting machine's files a run reads (start and end images, the soundtrack) are sent with
 * the run, so workers on other machines need no copy at the same path: each file's bytes go to
 * Redis once under their sha256, and the plan in Redis names them `files/<sha256><ext>`, relative
 * to the store. Returns that plan; the one given is left as is (the estimate reads the local files).
 */
export async function shareRunFiles(redis: Redis, plan: Plan): Promise<Plan> {
  const names = new Map<string, string>()
  for (const path of new Set(localFilesOf(plan))) {
    const bytes = await readFile(path)
    const sha = createHash('sha256').update(bytes).digest('hex')
    const key = keys.file(sha)
    // Content-addressed: bytes already there are the same bytes; only their time to live is renewed.
    if ((await redis.expire(key, FILE_TTL_SECONDS)) === 0) await redis.set(key, bytes, 'EX', FILE_TTL_SECONDS)
    names.set(path, `files/${sha}${extname(path).toLowerCase()}`)
  }
  return names.size === 0 ? plan : mapFiles(plan, (path) => names.get(path) ?? path)
}

/**
 * The plan as this worker reads it: each shared file (`files/<sha256><ext>`) is in the store, written
 * there from Redis by the first worker that needs it, and named by its local path. Absolute paths
 * (runs enqueued before files were shared) are left as they are.
 */
export async function localRunPlan(redis: Redis, store: Store, plan: Plan): Promise<Plan> {
  const shared = new Set(filesOf(plan).filter((path) => !isAbsolute(path)))
  for (const name of shared) await materialize(redis, store, name)
  return shared.size === 0 ? plan : mapFiles(plan, (path) => (isAbsolute(path) ? path : store.pathOf(path)))
}

async function materialize(redis: Redis, store: Store, file: string): Promise<void> {
  const path = store.pathOf(file)
  if (
    await access(path).then(
      () => true,
      () => false,
    )
  )
    return
  const sha = /^files\/([0-9a-f]{64})/.exec(file)?.[1]
  const bytes = sha ? await redis.getBuffer(keys.file(sha)) : null
  if (!sha || !bytes)
    throw new Error(
      `The run's file ${file} is neither in the store nor in Redis (it expired): render the storyboard again.`,
    )
  // Checked before it is trusted: the name is the promise of these exact bytes.
  if (createHash('sha256').update(bytes).digest('hex') !== sha)
    throw new Error(`The bytes Redis holds for ${file} do not match its sha256: render the storyboard again.`)
  await mkdir(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  try {
    await writeFile(tmp, bytes)
    await rename(tmp, path)
  } finally {
    await rm(tmp, { force: true })
  }
}

/** Every file path the plan reads. */
function filesOf(plan: Plan): string[] {
  const paths: string[] = []
  mapFiles(plan, (path) => {
    paths.push(path)
    return path
  })
  return paths
}

const localFilesOf = (plan: Plan) => filesOf(plan).filter(isAbsolute)

/** The plan with every file path (start, end and end-image images, the soundtrack) passed through `to`. */
function mapFiles(plan: Plan, to: (path: string) => string): Plan {
  const image = (ref: ImageRef): ImageRef =>
    ref.kind === 'file' ? { kind: 'file', path: to(ref.path) } : ref
  const shot = (s: PlannedShot): PlannedShot => {
    const start =
      s.start.kind === 'file'
        ? image(s.start)
        : s.start.kind === 'end-image'
          ? { ...s.start, image: image(s.start.image) }
          : s.start
    return { ...s, start, ...(s.end ? { end: image(s.end) } : {}) }
  }
  const audio = plan.output.audio
  return {
    ...plan,
    shots: plan.shots.map(shot),
    output: { ...plan.output, ...(audio ? { audio: { ...audio, file: to(audio.file) } } : {}) },
  }
}
