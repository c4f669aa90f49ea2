// Imported, not read at run time: the bundler inlines it, so the built CLI needs no path back to package.json.
import packageJson from '../../package.json' with { type: 'json' }

/** The CLI's own version, for manifests and `--version`. */
export const STORYREEL_VERSION: string = packageJson.version
