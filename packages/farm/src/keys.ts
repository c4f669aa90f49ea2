/** Every Redis key the farm writes, in one place; all under `storyreel:` so a shared Redis stays tidy. */
const P = 'storyreel'

/** BullMQ's prefix: its queues live under `storyreel:q:<queue>:*`. */
export const QUEUE_PREFIX = `${P}:q`
export const SHOT_QUEUE = 'shots'
export const ASSEMBLY_QUEUE = 'assembly'

export const keys = {
  /** Hash: `meta` (the run as enqueued), `status`, `finished` (where the reel and records are). */
  run: (id: string) => `${P}:run:${id}`,
  /** List: the run's journal records, as JSON, in order. */
  journal: (id: string) => `${P}:run:${id}:journal`,
  /** Hash: shot -> its final outcome (paths relative to the run directory). */
  outcomes: (id: string) => `${P}:run:${id}:outcomes`,
  /** Hash: shot + NUL + take -> that take's outcome. */
  takes: (id: string) => `${P}:run:${id}:takes`,
  /** Stream: scheduler events and the run's own end, for `render` to follow. */
  events: (id: string) => `${P}:run:${id}:events`,
  /** Hash: `reserved:<shot>` and `charged:<attempt>:<shot>`, in cents. */
  budget: (id: string) => `${P}:run:${id}:budget`,
  /** Hash: image path (relative to the store when inside it) -> sha256, for the manifest. */
  images: (id: string) => `${P}:run:${id}:images`,
  lock: (id: string) => `${P}:run:${id}:lock`,
  /** String: a file a run reads (an image, the soundtrack), by the sha256 of its bytes, until a worker puts it in the store. */
  file: (sha256: string) => `${P}:file:${sha256}`,
  /** Sorted set of run ids by creation time. */
  runs: `${P}:runs`,
  /** Hash: cache key -> clip entry (file relative to the store). */
  cache: `${P}:cache`,
  /** Hash: `max`, `limit`, `cutUntil`, `recoverAt`: the key's shared concurrency (AIMD). */
  keyLimit: `${P}:key-limit`,
  /** BullMQ's hash holding the shot queue's global concurrency. */
  shotQueueMeta: `${QUEUE_PREFIX}:${SHOT_QUEUE}:meta`,
} as const
