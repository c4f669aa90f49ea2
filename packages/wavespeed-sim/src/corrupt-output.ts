import { readFile, stat } from 'node:fs/promises'
import type { CorruptKind } from './faults.ts'

const NOT_VIDEO = Buffer.from(
  '<html><body><h1>200 OK</h1><p>This is not the video you asked for.</p></body></html>\n',
)

/**
 * The body served instead of a clip: for `not-video`, text of exactly the clip's
 * size (so a length check cannot tell); for `truncated`, the clip's first half,
 * whose header (written first, faststart) still describes the whole clip.
 */
export async function corruptBody(clip: string, kind: CorruptKind): Promise<Buffer> {
  if (kind === 'truncated') {
    const bytes = await readFile(clip)
    return bytes.subarray(0, Math.floor(bytes.length / 2))
  }
  const { size } = await stat(clip)
  const body = Buffer.alloc(size)
  for (let at = 0; at < size; at += NOT_VIDEO.length) NOT_VIDEO.copy(body, at)
  return body
}
