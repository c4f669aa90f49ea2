import { UsageError } from '../command.ts'
import { CliFailure } from './failure.ts'

export type ProviderName = 'wavespeed' | 'animatic'

export interface ProviderChoice {
  readonly name: ProviderName
  /** A line to show when the choice was made for the user. */
  readonly notice?: string
}

/** `--provider` wins; otherwise WaveSpeed when a key is set, else the free offline animatic. */
export function chooseProvider(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): ProviderChoice {
  const hasKey = Boolean(env.WAVESPEED_API_KEY?.trim())
  if (flag === undefined) {
    if (hasKey) return { name: 'wavespeed' }
    return {
      name: 'animatic',
      notice:
        'No WAVESPEED_API_KEY set: rendering an offline animatic (free, labelled ANIMATIC). To render with Kling, set WAVESPEED_API_KEY and run the same command again.',
    }
  }
  if (flag !== 'wavespeed' && flag !== 'animatic')
    throw new UsageError(`--provider must be wavespeed or animatic, not "${flag}"`, 'render')
  if (flag === 'wavespeed' && !hasKey) {
    throw new CliFailure(
      '--provider wavespeed needs an API key: set WAVESPEED_API_KEY (create one at https://wavespeed.ai/accesskey), or use --provider animatic for a free offline preview.',
    )
  }
  return { name: flag }
}
