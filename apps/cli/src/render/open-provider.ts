import { join } from 'node:path'
import { createAnimaticProvider } from '@storyreel/animatic'
import type { Provider } from '@storyreel/core'
import { clientFromEnv, createUploadCache, createWavespeedProvider } from '@storyreel/wavespeed'
import { uploadCacheFile } from './cache-dir.ts'
import type { ProviderName } from './choose-provider.ts'

/** Shots at once by default: 4 on WaveSpeed (as `plan` assumes; it queues beyond the account's limit and the scheduler backs off on 429), two ffmpeg renders for animatics. */
export const DEFAULT_CONCURRENCY: Record<ProviderName, number> = { wavespeed: 4, animatic: 2 }

/** The chosen provider, and for WaveSpeed the account's balance (one cheap call that checks key, account and network before anything is paid). */
export async function openProvider(name: ProviderName, env: NodeJS.ProcessEnv, cacheDir: string): Promise<{ provider: Provider; balance?: number }> {
  if (name === 'animatic') return { provider: createAnimaticProvider({ cacheDir: join(cacheDir, 'animatic') }) }
  const client = clientFromEnv(env)
  const balance = await client.balance()
  const uploadCache = createUploadCache({ path: uploadCacheFile(cacheDir, client.baseUrl) })
  return { provider: createWavespeedProvider(client, { uploadCache }), balance }
}
