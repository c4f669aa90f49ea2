import { describe, expect, it } from 'vitest'
import { redact } from '../src/redact.ts'

describe('redact', () => {
  it('scrubs a secret as is and URL-encoded (as it appears in an echoed URL), and leaves short strings alone', () => {
    const key = 'sk+live/SECRET=42'
    expect(redact(`id ${key} at https://x/o/${encodeURIComponent(key)}.mp4`, [key])).toBe(
      'id [redacted] at https://x/o/[redacted].mp4',
    )
    expect(redact('abc abc', ['abc'])).toBe('abc abc')
  })
})
