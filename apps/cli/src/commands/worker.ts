import { type Command, positiveIntegerOption, UsageError } from '../command.ts'
import { keyConcurrencyOf, redisUrlOf } from '../farm/farm-options.ts'
import { runWorker } from '../farm/run-worker.ts'
import { withFailureMessages } from '../render/failure.ts'

export const workerCommand: Command = {
  name: 'worker',
  usage: 'storyreel worker --redis URL [--concurrency N] [--store DIR] [--key-concurrency N] [--json]',
  description: [
    'A long-running worker of a render farm: takes shot jobs and assembly jobs that `storyreel render',
    '--queue URL` enqueued, rendering with the WAVESPEED_API_KEY of its own environment (never written',
    'to Redis, the store or a job). Clips and frames go to --store, a directory every worker shares.',
    "The key's limit (--key-concurrency or STORYREEL_KEY_CONCURRENCY) holds across all workers.",
    'SIGTERM or Ctrl-C: takes no new jobs, hands back the shots it holds with their prediction ids',
    '(the next worker waits for them, nothing is paid twice), and exits 0.',
  ].join('\n'),
  options: {
    redis: { type: 'string', valueName: 'URL', description: "The farm's Redis, e.g. redis://127.0.0.1:6379" },
    concurrency: {
      type: 'string',
      short: 'c',
      valueName: 'N',
      description: 'Jobs this worker holds at once (default 4)',
    },
    store: { type: 'string', valueName: 'DIR', description: 'The shared store (default ./storyreel-store)' },
    'key-concurrency': {
      type: 'string',
      valueName: 'N',
      description: 'Most predictions in flight for the key across all workers',
    },
    json: { type: 'boolean', description: 'Log each job state as a JSON line' },
  },
  examples: [
    'storyreel worker --redis redis://10.0.0.5:6379 --store /mnt/storyreel',
    'storyreel worker --redis redis://127.0.0.1:6379 --concurrency 8 --key-concurrency 10 --json',
  ],
  run({ values, positionals }, io) {
    if (positionals.length > 0)
      throw new UsageError(
        'worker takes no file; it renders what `storyreel render FILE --queue URL` enqueues',
        'worker',
      )
    const redis = redisUrlOf(values, 'redis', 'worker')
    const concurrency = positiveIntegerOption(values, 'concurrency', 4, 'worker')
    const keyConcurrency = keyConcurrencyOf(values, io.env, 'worker')
    const store = typeof values.store === 'string' ? values.store : 'storyreel-store'
    return withFailureMessages(io, () =>
      runWorker(
        {
          redis,
          concurrency,
          store,
          json: values.json === true,
          ...(keyConcurrency === undefined ? {} : { keyConcurrency }),
        },
        io,
      ),
    )
  },
}
