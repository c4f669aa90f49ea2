/**
 * The version of every `--json` shape storyreel prints (`plan`, `validate`, `models`, `status`,
 * `doctor`, and each NDJSON event of `render` and `assemble`): raised when a field changes meaning
 * or goes away, so scripts can tell which shape they read. Fields are only ever added within one.
 */
export const JSON_VERSION = 1
