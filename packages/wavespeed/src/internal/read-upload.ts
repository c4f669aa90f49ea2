import { open, stat } from 'node:fs/promises'
import { WaveSpeedError } from '../errors.ts'
import { megabytes } from './read-body.ts'

const CHUNK = 1024 * 1024

function tooLarge(name: string, size: string, maxBytes: number): WaveSpeedError {
  return new WaveSpeedError(
    'WS_TOO_LARGE',
    `${name} is ${size}; WaveSpeed takes images up to ${megabytes(maxBytes)}: save it smaller (a JPEG, or fewer pixels) and run again. Nothing was uploaded.`,
    { retryable: false },
  )
}

/** Refuses bytes over the upload limit before anything is sent. */
export function checkUploadSize(name: string, bytes: number, maxBytes: number): void {
  if (bytes > maxBytes) throw tooLarge(name, megabytes(bytes), maxBytes)
}

/**
 * Reads a file to upload, refusing it by its size before reading it, and never reading more than
 * `maxBytes` (a file that grows meanwhile). Devices, FIFOs and folders are refused: stat does not
 * block on them, and reading them could hang or never end.
 *
 * @throws WaveSpeedError `WS_TOO_LARGE`, or `WS_UPLOAD` for a file that is missing or not a regular file.
 */
export async function readUploadFile(path: string, maxBytes: number): Promise<Buffer> {
  const unreadable = (why: string) =>
    new WaveSpeedError('WS_UPLOAD', `Cannot upload ${path}: ${why}. Nothing was uploaded.`, {
      retryable: false,
    })
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw unreadable(
      error.code === 'ENOENT'
        ? 'there is no such file'
        : `it cannot be read (${error.code ?? error.message})`,
    )
  })
  if (!info.isFile())
    throw unreadable('it is not a regular file (a folder, device or pipe); point to an image file')
  checkUploadSize(path, info.size, maxBytes)
  const file = await open(path, 'r')
  try {
    const chunks: Buffer[] = []
    let length = 0
    for (;;) {
      const { bytesRead, buffer } = await file.read(Buffer.alloc(CHUNK), 0, CHUNK, null)
      if (bytesRead === 0) return Buffer.concat(chunks, length)
      length += bytesRead
      if (length > maxBytes)
        throw tooLarge(path, `more than ${megabytes(maxBytes)} (it grew while being read)`, maxBytes)
      chunks.push(buffer.subarray(0, bytesRead))
    }
  } finally {
    await file.close()
  }
}
