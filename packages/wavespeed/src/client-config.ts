import { WaveSpeedError } from './errors.ts'

export const DEFAULT_BASE_URL = 'https://api.wavespeed.ai'

/** The environment variable that allows a plain-http base URL on a non-loopback host. */
export const INSECURE_BASE_URL_ENV = 'STORYREEL_INSECURE_BASE_URL'

const CHARACTER_NAMES: Readonly<Record<string, string>> = {
  '\n': 'a line break',
  '\r': 'a line break',
  '\t': 'a tab',
  ' ': 'a space',
}

/**
 * The key as it is sent: whitespace around it (a trailing newline from `cat key.txt`) is dropped;
 * anything inside that cannot be part of a Bearer token is refused before a request is made, since
 * it would otherwise surface as an obscure header error or a 401.
 *
 * @throws WaveSpeedError `WS_CONFIG`
 */
export function checkApiKey(raw: unknown): string {
  const key = typeof raw === 'string' ? raw.trim() : ''
  if (key === '')
    throw new WaveSpeedError(
      'WS_CONFIG',
      'No WaveSpeed API key: set WAVESPEED_API_KEY (create one at https://wavespeed.ai/accesskey).',
    )
  // Bearer tokens are visible ASCII; the position helps find the stray character without showing the key.
  const bad = /[^\x21-\x7e]/.exec(key)
  if (bad) {
    const char = bad[0]
    const name =
      CHARACTER_NAMES[char] ??
      (/[\x00-\x1f\x7f-\x9f]/.test(char) ? 'a control character' : 'a character that is not plain ASCII')
    const code = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
    throw new WaveSpeedError(
      'WS_CONFIG',
      `The WaveSpeed API key contains ${name} (${code}, character ${bad.index + 1} of ${key.length}): set WAVESPEED_API_KEY to the key alone, copied again from https://wavespeed.ai/accesskey.`,
    )
  }
  return key
}

/** 127.0.0.0/8, ::1 and localhost: traffic that never leaves the machine (the simulator). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '')
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

/**
 * Parses the base URL. Every API call carries the key, so plain http is refused unless the host is
 * loopback or the caller allowed it on purpose; nothing has been sent when this throws.
 *
 * @throws WaveSpeedError `WS_CONFIG`
 */
export function checkBaseUrl(baseUrl: string, options: { readonly allowInsecure?: boolean } = {}): URL {
  let url: URL | undefined
  try {
    url = new URL(baseUrl)
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new WaveSpeedError(
      'WS_CONFIG',
      `WAVESPEED_BASE_URL must be an https URL such as ${DEFAULT_BASE_URL}; got "${baseUrl.slice(0, 100)}".`,
    )
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !options.allowInsecure)
    throw new WaveSpeedError(
      'WS_CONFIG',
      `WAVESPEED_BASE_URL ${url.origin} is plain http, which would send the API key unencrypted to ${url.hostname}: nothing was sent. ` +
        `Use an https URL (the default is ${DEFAULT_BASE_URL}); plain http is accepted for this machine (127.0.0.1, ::1, localhost). ` +
        `To send the key over plain http anyway (a proxy on a network you trust), set ${INSECURE_BASE_URL_ENV}=1.`,
    )
  return url
}

/** True when the environment allows a plain-http base URL (`STORYREEL_INSECURE_BASE_URL=1` or `true`). */
export function insecureAllowedByEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  return /^(1|true|yes)$/i.test(env[INSECURE_BASE_URL_ENV]?.trim() ?? '')
}
