import { resolve } from 'node:path'
import type { Issue } from './issue.ts'
import { describeKind, pathKind } from './regular-file.ts'
import type { RawOutput } from './storyboard-types.ts'
import type { YamlSource } from './yaml-source.ts'

/** Checks on `output` that the schema cannot make: width and height together, the soundtrack file. */
export async function checkOutput(
  output: RawOutput | undefined,
  context: { source: YamlSource; baseDir: string },
): Promise<Issue[]> {
  if (!output || typeof output !== 'object') return []
  const issues: Issue[] = []
  if ((output.width === undefined) !== (output.height === undefined)) {
    const missing = output.width === undefined ? 'width' : 'height'
    issues.push(
      context.source.issue(
        'CORE_OUTPUT_SIZE',
        ['output'],
        `output sets ${missing === 'width' ? 'height' : 'width'} without ${missing}; set both, or neither to use the first clip's size`,
      ),
    )
  }
  const audio = output.audio?.file
  if (typeof audio === 'string') {
    const problem = await audioProblem(audio, resolve(context.baseDir, audio))
    if (problem) issues.push(context.source.issue(problem.code, ['output', 'audio', 'file'], problem.message))
  }
  return issues
}

/** The soundtrack is handed to ffmpeg, which would block on a FIFO or read a device forever: it must be a regular file. */
async function audioProblem(
  label: string,
  absolute: string,
): Promise<{ code: Issue['code']; message: string } | undefined> {
  const kind = await pathKind(absolute)
  if (kind === 'file') return undefined
  if (kind === 'missing') {
    return {
      code: 'CORE_AUDIO_NOT_FOUND',
      message: `audio file "${label}" not found (looked for ${absolute}); paths are relative to the storyboard's folder`,
    }
  }
  if (typeof kind === 'object')
    return { code: 'CORE_AUDIO_UNREADABLE', message: `audio file "${label}" cannot be read: ${kind.error}` }
  if (kind === 'folder')
    return { code: 'CORE_AUDIO_UNREADABLE', message: `audio file "${label}" is a folder, not an audio file` }
  return {
    code: 'CORE_AUDIO_NOT_REGULAR',
    message: `audio file "${label}" is ${describeKind(kind)}, not a regular file; give the path of an audio file (mp3, m4a, wav, ...)`,
  }
}
