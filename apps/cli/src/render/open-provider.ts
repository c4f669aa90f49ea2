import { join } from 'node:path'
import { createAnimaticProvider } from '@storyreel/animatic'
import type { OutputSpec, Provider } from '@storyreel/core'
import {
  clientFromEnv,
  createRenderTimeModel,
  createUploadCache,
  createWavespeedProvider,
  POLL_BOUNDED,
  POLL_ECONOMICAL,
  startWebhookReceiver,
} from '@storyreel/wavespeed'
import type { PollName } from '../settings/config-file.ts'
import { perBaseUrlFile } from './cache-dir.ts'
import type { ProviderName } from './choose-provider.ts'

/** Shots at once by default: 4 on WaveSpeed (as `plan` assumes; it queues beyond the account's limit and the scheduler backs off on 429), two ffmpeg renders for animatics. */
export const DEFAULT_CONCURRENCY: Record<ProviderName, number> = { wavespeed: 4, animatic: 2 }

/**
 * The `poll` setting: the schedule for a model whose render time was never learned (webhooks keep
 * their own sparse fallback): `bounded` notices a finished clip within 2 s + 10% of its render
 * time, `economical` asks about half as often.
 */
const POLL_POLICIES = { bounded: POLL_BOUNDED, economical: POLL_ECONOMICAL } as const

/** `--webhook-url` / `--webhook-port`: where WaveSpeed's deliveries reach this machine. */
export interface WebhookOptions {
  readonly url: string
  readonly port?: number
}

export interface OpenedProvider {
  readonly provider: Provider
  /** The account's balance, for WaveSpeed: one cheap call that checks key, account and network before anything is paid. */
  readonly balance?: number
  /** Where completions are delivered, when webhooks are on: `http://127.0.0.1:PORT` for the tunnel to point at. */
  readonly webhookListening?: string
  /** Writes what was learned (render times) and stops the webhook receiver. */
  close(): Promise<void>
}

/**
 * The chosen provider. For WaveSpeed: uploads and render times cached per API base URL in the
 * cache directory (a simulator's seconds must not time polls of the real service), so each run
 * polls around the completion times earlier runs saw; with `webhook`, completions are delivered
 * and polling is only the fallback.
 */
export async function openProvider(
  name: ProviderName,
  env: NodeJS.ProcessEnv,
  cacheDir: string,
  options: { webhook?: WebhookOptions | undefined; output?: OutputSpec; poll?: PollName } = {},
): Promise<OpenedProvider> {
  if (name === 'animatic') {
    // On a canvas the storyboard fixes, animatics are written as mezzanines: the reel copies them, nothing is normalized.
    const { width, height, fps } = options.output ?? {}
    const canvas = width && height && fps ? { width, height, fps } : undefined
    return {
      provider: createAnimaticProvider({ cacheDir: join(cacheDir, 'animatic'), canvas }),
      close: async () => {},
    }
  }
  const { webhook } = options
  const client = clientFromEnv(env)
  const balance = await client.balance()
  const uploadCache = uploadCacheOf(cacheDir, client.baseUrl)
  const renderTimes = createRenderTimeModel({
    file: perBaseUrlFile(cacheDir, 'render-times', client.baseUrl),
  })
  const receiver =
    webhook &&
    (await startWebhookReceiver({
      secret: await client.webhookSecret(),
      publicUrl: webhook.url,
      ...(webhook.port !== undefined && { port: webhook.port }),
    }))
  return {
    provider: createWavespeedProvider(client, {
      uploadCache,
      renderTimes,
      ...(!receiver && options.poll && { poll: POLL_POLICIES[options.poll] }),
      ...(receiver && { webhook: receiver.url, inbox: receiver.inbox }),
    }),
    balance,
    ...(receiver && { webhookListening: receiver.localUrl }),
    async close() {
      await Promise.all([renderTimes.flush(), receiver?.close()])
    },
  }
}

/** The provider without a word to the network: for commands that only ask what a render would do (`pick`). */
export function createProvider(name: ProviderName, env: NodeJS.ProcessEnv, cacheDir: string): Provider {
  if (name === 'animatic') return createAnimaticProvider({ cacheDir: join(cacheDir, 'animatic') })
  const client = clientFromEnv(env)
  return createWavespeedProvider(client, { uploadCache: uploadCacheOf(cacheDir, client.baseUrl) })
}

function uploadCacheOf(cacheDir: string, baseUrl: string) {
  return createUploadCache({ path: perBaseUrlFile(cacheDir, 'uploads', baseUrl) })
}
