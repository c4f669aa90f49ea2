import { parseArgs } from 'node:util'
import type { Faults } from './faults.ts'
import { startSimulator } from './simulator.ts'
import type { SimulatorOptions } from './types.ts'

const USAGE = `Usage: wavespeed-sim [options]

Starts a local WaveSpeed API simulator on 127.0.0.1 and prints its base URL and key.

Options:
  --port N              port (default 0: any free port)
  --key KEY             the API key to accept (default: random sim-key-...)
  --latency MS          render time per prediction (default 1000)
  --latency-jitter MS   move each render time by up to MS either way (default 0)
  --queue-delay MS      minimum time in "created" (default 0)
  --concurrency N       predictions processing at once (default 2)
  --rate-per-minute N   predictions created per minute before 429 (default unlimited)
  --balance USD         starting balance (default 100)
  --video-scale F       clip size relative to the model's (default 0.25)
  --output-ttl MS       how long outputs stay downloadable (default 7 days)
  --sync-timeout MS     enable_sync_mode wait before the 5004 answer (default 90000)
  --accept-base64       accept base64 / data: URIs in image fields
  --same-takes          identical requests get identical clips (default: each take differs)
  --seed S              fault seed (default 1)
  --rate-429 P          probability of a 429 on every API route
  --rate-5xx P          probability of a 5xx on every API route
  --drop-connection P   probability of a dropped connection on every API route
  --drop-after-create P probability that a submit response is lost after the prediction was created
  --gateway-504-after-create P  probability that a submit creates the prediction, then answers 504
  --fail-rate P         probability that a prediction fails with business code 5000
  --truncate-download P probability that an output download is cut short
  --corrupt-output P    probability that an output download is a complete response with a non-video body
  -h, --help            this text
`

function number(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  const parsed = Number(value)
  if (!Number.isFinite(parsed)) throw new TypeError(`--${name} must be a number (got ${value}).`)
  return parsed
}

/** Entry point of `wavespeed-sim`; returns the exit code once the simulator stops (SIGINT/SIGTERM). */
export async function main(argv: readonly string[]): Promise<number> {
  const names = [
    'port',
    'key',
    'latency',
    'latency-jitter',
    'queue-delay',
    'concurrency',
    'rate-per-minute',
    'balance',
    'video-scale',
    'output-ttl',
    'sync-timeout',
    'seed',
    'rate-429',
    'rate-5xx',
    'drop-connection',
    'drop-after-create',
    'gateway-504-after-create',
    'fail-rate',
    'truncate-download',
    'corrupt-output',
  ] as const
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        ...Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])),
        'accept-base64': { type: 'boolean' },
        'same-takes': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (values.help) {
    process.stdout.write(USAGE)
    return 0
  }
  const get = (name: (typeof names)[number]) => {
    const value = values[name]
    return typeof value === 'string' ? value : undefined
  }
  const numeric = (name: (typeof names)[number]) => number(get(name), name)
  try {
    const faults: Faults = {
      seed: get('seed') ?? 1,
      rate429: numeric('rate-429'),
      rate5xx: numeric('rate-5xx'),
      dropConnection: numeric('drop-connection'),
      dropSubmitAfterCreate: numeric('drop-after-create'),
      gatewayTimeoutAfterCreate: numeric('gateway-504-after-create'),
      failPrediction: numeric('fail-rate'),
      truncateDownload: numeric('truncate-download'),
      corruptOutput: numeric('corrupt-output'),
    }
    const options: SimulatorOptions = {
      port: numeric('port'),
      apiKey: get('key'),
      latencyMs: numeric('latency'),
      latencyJitterMs: numeric('latency-jitter'),
      queueDelayMs: numeric('queue-delay'),
      concurrency: numeric('concurrency'),
      ratePerMinute: numeric('rate-per-minute'),
      balance: numeric('balance'),
      videoScale: numeric('video-scale'),
      outputTtlMs: numeric('output-ttl'),
      syncTimeoutMs: numeric('sync-timeout'),
      acceptBase64Images: values['accept-base64'] === true,
      distinctTakes: values['same-takes'] !== true,
      faults,
    }
    const simulator = await startSimulator(options)
    process.stdout.write(
      `WaveSpeed simulator listening on ${simulator.url}\nexport WAVESPEED_BASE_URL=${simulator.url}\nexport WAVESPEED_API_KEY=${simulator.apiKey}\n`,
    )
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve)
      process.once('SIGTERM', resolve)
    })
    await simulator.close()
    return 0
  } catch (error) {
    process.stderr.write(`wavespeed-sim: ${(error as Error).message}\n`)
    return 1
  }
}
