import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'

/** sha256 of a file's bytes, streamed (clips and reels can be large). */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject)
  })
}
