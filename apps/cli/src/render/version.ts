import { readFileSync } from 'node:fs'

/** The CLI's own version, for manifests and `--version`. */
export const STORYREEL_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version
