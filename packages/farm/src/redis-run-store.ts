import { randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import {
  type JournalRecord,
  parseJournal,
  redact,
  type RunJournal,
  type RunStore,
} from '@storyreel/scheduler'
import type { Redis } from 'ioredis'
import { keys } from './keys.ts'
import type { Store } from './store.ts'

/**
 * A run's store on the farm: the journal is a Redis list every worker appends to (each record
 * acknowledged by Redis before the step it announces is taken, as the file journal's fsync),
 * the clips and frames are in the shared store.
 */
export function openRedisRunStore(
  redis: Redis,
  store: Store,
  runId: string,
  secrets: readonly string[] = [],
): RunStore {
  const layout = store.runLayout(runId)
  const read = async () =>
    parseJournal(`${(await redis.lrange(keys.journal(runId), 0, -1)).join('\n')}\n`, keys.journal(runId))
  return {
    layout,
    async prepare() {
      for (const dir of layout.dirs) await mkdir(dir, { recursive: true })
    },
    async lock() {
      const token = randomUUID()
      const key = keys.lock(runId)
      if ((await redis.set(key, token, 'NX')) !== 'OK')
        throw Object.assign(new Error(`Run ${runId} is locked by another process.`), {
          code: 'SCHED_RUN_DIR_LOCKED',
          runDir: layout.root,
        })
      return {
        release: async () => {
          if ((await redis.get(key)) === token) await redis.del(key)
        },
      }
    },
    async openJournal(): Promise<RunJournal> {
      const records: JournalRecord[] = await read()
      let tail = Promise.resolve()
      return {
        records,
        append(record) {
          records.push(record)
          // Serialised in call order, as the file journal's appends are.
          tail = tail.then(() =>
            redis.rpush(keys.journal(runId), redact(JSON.stringify(record), secrets)).then(() => undefined),
          )
          return tail
        },
        close: () => tail,
      }
    },
    readJournal: read,
  }
}
