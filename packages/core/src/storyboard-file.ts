import { isUtf8 } from 'node:buffer'
import type { Issue, IssueCode } from './issue.ts'
import { describeKind, readRegularFile } from './regular-file.ts'

/** Storyboards are small; anything bigger is a mistake (a video, a dump) or an attack. */
export const MAX_STORYBOARD_BYTES = 1024 * 1024

export type StoryboardFile =
  | { readonly ok: true; readonly bytes: Buffer; readonly text: string }
  | { readonly ok: false; readonly issues: readonly Issue[] }

function fileIssue(
  file: string,
  code: IssueCode,
  message: string,
  where = { line: 0, col: 0 },
): StoryboardFile {
  return { ok: false, issues: [{ code, severity: 'error', file, ...where, message }] }
}

/**
 * Reads a storyboard's bytes and decodes them as UTF-8 text: a regular file of
 * at most 1 MB, with no NUL bytes and nothing that is not UTF-8 (a silently
 * replaced byte would end up in a prompt).
 */
export async function readStoryboardFile(file: string, absolute: string): Promise<StoryboardFile> {
  const read = await readRegularFile(absolute, MAX_STORYBOARD_BYTES)
  if (!read.ok) {
    switch (read.problem) {
      case 'missing':
        return fileIssue(file, 'CORE_FILE_NOT_FOUND', 'no such file')
      case 'not-regular':
        if (read.kind === 'folder')
          return fileIssue(
            file,
            'CORE_FILE_UNREADABLE',
            'is a folder; give the path of a storyboard .yaml file',
          )
        return fileIssue(
          file,
          'CORE_FILE_NOT_REGULAR',
          `is ${describeKind(read.kind)}, not a regular file; give the path of a storyboard .yaml file`,
        )
      case 'error':
        return fileIssue(file, 'CORE_FILE_UNREADABLE', `cannot be read: ${read.reason}`)
    }
  }
  if (read.truncated) {
    const size = read.size > MAX_STORYBOARD_BYTES ? `${(read.size / 1024 / 1024).toFixed(1)} MB` : 'over 1 MB'
    return fileIssue(
      file,
      'CORE_FILE_TOO_LARGE',
      `is ${size}; a storyboard may be at most 1 MB (is this the right file?)`,
    )
  }
  const { bytes } = read
  // Checked before NUL bytes: UTF-16 text is full of them, and the fix is different.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return fileIssue(file, 'CORE_FILE_ENCODING', 'is UTF-16 text; save it as UTF-8')
  }
  if (bytes.includes(0))
    return fileIssue(
      file,
      'CORE_FILE_UNREADABLE',
      'is not a text file (it contains NUL bytes); give the path of a storyboard .yaml file',
    )
  if (!isUtf8(bytes)) {
    const offset = invalidUtf8Offset(bytes)
    const byte = bytes[offset]!.toString(16).toUpperCase().padStart(2, '0')
    return fileIssue(
      file,
      'CORE_FILE_ENCODING',
      `byte 0x${byte} at offset ${offset} is not UTF-8; save the file as UTF-8`,
      positionOf(bytes, offset),
    )
  }
  return { ok: true, bytes, text: bytes.toString('utf8') }
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (Unicode 15, table 3-7). */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let index = 0
  while (index < bytes.length) {
    const lead = bytes[index]!
    if (lead < 0x80) {
      index++
      continue
    }
    let continuation: number
    let low = 0x80
    let high = 0xbf
    if (lead >= 0xc2 && lead <= 0xdf) continuation = 1
    else if (lead >= 0xe0 && lead <= 0xef) {
      continuation = 2
      if (lead === 0xe0) low = 0xa0
      if (lead === 0xed) high = 0x9f // no UTF-16 surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      continuation = 3
      if (lead === 0xf0) low = 0x90
      if (lead === 0xf4) high = 0x8f // nothing past U+10FFFF
    } else return index
    for (let k = 1; k <= continuation; k++) {
      const next = bytes[index + k]
      if (next === undefined || next < (k === 1 ? low : 0x80) || next > (k === 1 ? high : 0xbf)) return index
    }
    index += continuation + 1
  }
  return -1
}

/** 1-based line and column (in characters, as editors count) of a byte offset in well-formed UTF-8 before it. */
function positionOf(bytes: Buffer, offset: number): { line: number; col: number } {
  const before = bytes.subarray(0, offset)
  let line = 1
  let lineStart = 0
  for (let index = before.indexOf(0x0a); index !== -1; index = before.indexOf(0x0a, index + 1)) {
    line++
    lineStart = index + 1
  }
  return { line, col: before.subarray(lineStart).toString('utf8').length + 1 }
}
