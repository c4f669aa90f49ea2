import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'

const CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/System/Library/Fonts/Supplemental/Arial.ttf',
]

/** A sans-serif font file for drawtext: a well-known path, else fontconfig's pick, else none (clips then use shapes only). */
export async function findFont(): Promise<string | undefined> {
  const known = CANDIDATES.find((file) => existsSync(file))
  if (known) return known
  const matched = await new Promise<string>((resolve) => {
    execFile('fc-match', ['-f', '%{file}', 'sans-serif'], { timeout: 5000 }, (error, stdout) =>
      resolve(error ? '' : stdout.trim()),
    )
  })
  return matched && /\.(ttf|otf|ttc)$/i.test(matched) && existsSync(matched) ? matched : undefined
}
