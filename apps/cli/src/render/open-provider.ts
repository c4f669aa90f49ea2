import { join } from 'node:path'
import { createAnimaticProvider } from '@storyreel/animatic'
import type { Provider } from '@storyreel/core'
import { clientFromEnv, createUploadCache, createWavespeedProvider, POLL_BOUNDED, POLL_ECONOMICAL } from '@storyreel/wavespeed'
import type { PollName } from '../settings/config-file.ts'
import { uploadCacheFile } from './cache-dir.ts'
import type { ProviderName } from './choose-provider.ts'

/** Shots at once by default: 4 on WaveSpeed (as `plan` assumes; it queues beyond the account's limit and the scheduler backs off on 429), two ffmpeg renders for animatics. */
export const DEFAULT_CONCURRENCY: Record<ProviderName, number> = { wavespeed: 4, animatic: 2 }

/** The `poll` setting: economical (fewer status requests, the default) or bounded (notices a finished clip sooner). */
const POLL_POLICIES = { economical: POLL_ECONOMICAL, bounded: POLL_BOUNDED } as const

/** The chosen provider, and for WaveSpeed the account's balance (one cheap call that checks key, account and network before anything is paid). */
export async function openProvider(name: ProviderName, env: NodeJS.ProcessEnv, cacheDir: string, poll: PollName = 'economical'): Promise<{ provider: Provider; balance?: number }> {
  if (name === 'animatic') return { provider: createAnimaticProvider({ cacheDir: join(cacheDir, 'animatic') }) }
  const client = clientFromEnv(env, { poll: POLL_POLICIES[poll] })
  const balance = await client.balance()
  const uploadCache = createUploadCache({ path: uploadCacheFile(cacheDir, client.baseUrl) })
  return { provider: createWavespeedProvider(client, { uploadCache }), balance }
}
