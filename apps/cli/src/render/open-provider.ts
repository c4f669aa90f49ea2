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
  if (name === 'animatic') return { provider: createProvider(name, env, cacheDir) }
  const client = clientFromEnv(env)
  const balance = await client.balance()
  return { provider: wavespeedProvider(client, cacheDir), balance }
}

/** The provider without a word to the network: for commands that only ask what a render would do (`pick`). */
export function createProvider(name: ProviderName, env: NodeJS.ProcessEnv, cacheDir: string): Provider {
  return name === 'animatic' ? createAnimaticProvider({ cacheDir: join(cacheDir, 'animatic') }) : wavespeedProvider(clientFromEnv(env), cacheDir)
}

function wavespeedProvider(client: ReturnType<typeof clientFromEnv>, cacheDir: string): Provider {
  return createWavespeedProvider(client, { uploadCache: createUploadCache({ path: uploadCacheFile(cacheDir, client.baseUrl) }) })
}
