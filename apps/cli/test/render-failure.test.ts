import { describe, expect, test } from 'vitest'
import { CliFailure, describeFailure } from '../src/render/failure.ts'

const sysError = (code: string, path: string) =>
  Object.assign(new Error(`${code}: x, open '${path}'`), { code, path, syscall: 'open' })

describe('failure messages', () => {
  test('a full disk says so, names the file and says how to resume', () => {
    const report = describeFailure(sysError('ENOSPC', '/run/shots/a.mp4'))
    expect(report.exitCode).toBe(1)
    expect(report.message).toMatch(/disk is full.*\/run\/shots\/a\.mp4.*run the same command again/s)
    expect(report.unexpected).toBe(false)
  })

  test('a library error wrapping a system error is explained by its cause', () => {
    const wrapped = Object.assign(new Error('journal write failed'), {
      code: 'SCHED_JOURNAL_CORRUPT',
      cause: sysError('EACCES', '/ro/journal.ndjson'),
    })
    expect(describeFailure(wrapped).message).toMatch(/Cannot write \/ro\/journal\.ndjson: permission denied/)
  })

  test('library errors keep their own message; interruption exits 130', () => {
    expect(
      describeFailure(Object.assign(new Error('The API key was refused.'), { code: 'WS_AUTH' })),
    ).toEqual({ message: 'The API key was refused.', exitCode: 1, unexpected: false })
    expect(describeFailure(Object.assign(new Error('aborted'), { code: 'SCHED_ABORTED' })).exitCode).toBe(130)
    expect(describeFailure(new CliFailure('bad flag', { exitCode: 2 })).exitCode).toBe(2)
  })

  test('an unknown error is flagged as a bug without a stack trace', () => {
    const report = describeFailure(new TypeError('x is undefined'))
    expect(report.unexpected).toBe(true)
    expect(report.message).not.toMatch(/\n\s+at /)
  })
})
