import { constants, type Stats } from 'node:fs'
import { open, stat } from 'node:fs/promises'

/** What a path turned out to be, once symlinks are followed. */
export type FileKind = 'file' | 'folder' | 'fifo' | 'device' | 'socket'

export type FileRead =
  | { readonly ok: true; readonly bytes: Buffer; readonly truncated: boolean; readonly size: number }
  | { readonly ok: false; readonly problem: 'missing' }
  | { readonly ok: false; readonly problem: 'not-regular'; readonly kind: Exclude<FileKind, 'file'> }
  | { readonly ok: false; readonly problem: 'error'; readonly reason: string }

function kindOf(info: Stats): FileKind {
  if (info.isFile()) return 'file'
  if (info.isDirectory()) return 'folder'
  if (info.isFIFO()) return 'fifo'
  if (info.isSocket()) return 'socket'
  return 'device'
}

/** "a folder", "a named pipe (FIFO)": what a non-regular file is, for messages. */
export function describeKind(kind: Exclude<FileKind, 'file'>): string {
  switch (kind) {
    case 'folder':
      return 'a folder'
    case 'fifo':
      return 'a named pipe (FIFO)'
    case 'socket':
      return 'a socket'
    case 'device':
      return 'a device file'
  }
}

function failure(error: unknown): FileRead {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, problem: 'missing' }
  if (code === 'EISDIR') return { ok: false, problem: 'not-regular', kind: 'folder' }
  return { ok: false, problem: 'error', reason: (error as Error).message }
}

/**
 * Reads at most `maxBytes` of a regular file (symlinks followed). The type is
 * checked on the opened handle, and the open does not block, so a FIFO cannot
 * hang the read and a device cannot feed it forever; `size` from stat is 0 for
 * devices and /proc files, so the cap is enforced on the bytes actually read.
 * `truncated` says the file holds more than `maxBytes`.
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<FileRead> {
  let handle
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    return failure(error)
  }
  try {
    const info = await handle.stat()
    const kind = kindOf(info)
    if (kind !== 'file') return { ok: false, problem: 'not-regular', kind }
    const buffer = Buffer.alloc(maxBytes + 1)
    let filled = 0
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled)
      if (bytesRead === 0) break
      filled += bytesRead
      if (filled === buffer.length) break
    }
    const truncated = filled > maxBytes
    return {
      ok: true,
      bytes: buffer.subarray(0, Math.min(filled, maxBytes)),
      truncated,
      size: Math.max(info.size, filled),
    }
  } catch (error) {
    return failure(error)
  } finally {
    await handle.close()
  }
}

/** What `path` is (symlinks followed), without opening it: for files storyreel hands to others (the soundtrack). */
export async function pathKind(path: string): Promise<FileKind | 'missing' | { readonly error: string }> {
  try {
    return kindOf(await stat(path))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing'
    return { error: (error as Error).message }
  }
}
